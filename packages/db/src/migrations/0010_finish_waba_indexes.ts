import type { Kysely } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // A manual completion on an install alone asks whether another sign-up's page received
  // Meta's FINISH for the WABA. Only sign-ups whose page posted a FINISH are indexed.
  for (const table of ['signup_sessions', 'onboarding_links']) {
    await db.schema
      .createIndex(`${table}_finish_meta_waba_id`)
      .on(table)
      .columns(['mode', 'finish_meta_waba_id'])
      .where('finish_meta_waba_id', 'is not', null)
      .execute()
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['signup_sessions', 'onboarding_links']) {
    await db.schema.dropIndex(`${table}_finish_meta_waba_id`).execute()
  }
}

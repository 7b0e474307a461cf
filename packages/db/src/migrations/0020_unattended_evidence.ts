import type { Kysely } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // Which of Meta's FINISH events the page saw (FINISH, FINISH_ONLY_WABA or the
  // coexistence one): a sign-up completed with nobody on the page must not register a
  // number that lives on the WhatsApp Business app.
  await db.schema.alterTable('onboarding_links').addColumn('finish_event', 'text').execute()
  // How many different WABAs the link's pages have named: a FINISH is what a browser said,
  // so a link may name a few (a second press of Connect) but cannot keep naming new ones,
  // and naming the same WABA again does not move its time.
  await db.schema
    .alterTable('onboarding_links')
    .addColumn('finish_changes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  // When the unattended completion may try this link again after a failed try (far in the
  // future after a refusal that cannot change); null: never tried.
  await db.schema.alterTable('onboarding_links').addColumn('unattended_retry_at', 'text').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('onboarding_links').dropColumn('unattended_retry_at').execute()
  await db.schema.alterTable('onboarding_links').dropColumn('finish_changes').execute()
  await db.schema.alterTable('onboarding_links').dropColumn('finish_event').execute()
}

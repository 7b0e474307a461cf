import type { Kysely } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // The web origins the hosted page reports its result to when a platform opens it with
  // embed.js: a JSON array of normalised origins (`https://app.example`), null for none.
  await db.schema.alterTable('onboarding_links').addColumn('allowed_origins', 'text').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('onboarding_links').dropColumn('allowed_origins').execute()
}

import { type Kysely, sql } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // The language a link's hosted pages speak, when its creator chose one; null leaves the
  // choice to the end-user's browser (?lang=, Accept-Language). Both databases accept a CHECK
  // on an added column, so a stray value cannot reach the page from outside the API either.
  await db.schema
    .alterTable('onboarding_links')
    .addColumn('locale', 'text', (c) => c.check(sql`locale in ('en', 'es', 'pt-BR')`))
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('onboarding_links').dropColumn('locale').execute()
}

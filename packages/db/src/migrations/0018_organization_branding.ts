import { type Kysely, sql } from 'kysely'
import { isPostgres } from '../dialect'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // What the hosted pages show of the organisation, one row per organisation and mode: a test
  // key changes what test links show, a live key what live links show. The logo's bytes live
  // in the row itself (at most 100 KB), so replacing or removing it leaves nothing behind.
  await db.schema
    .createTable('organization_branding')
    .addColumn('organization_id', 'text', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('test', 'live')`))
    .addColumn('display_name', 'text')
    .addColumn('accent_color', 'text')
    .addColumn('support_email', 'text')
    .addColumn('support_url', 'text')
    // SHA-256 (hex) of the logo's bytes: its public URL, which changes when the bytes do.
    .addColumn('logo_sha256', 'text')
    .addColumn('logo_content_type', 'text')
    .addColumn('logo_bytes', isPostgres(db) ? 'bytea' : 'blob')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_branding_pk', ['organization_id', 'mode'])
    .execute()
  // The logo route finds the bytes by their hash alone.
  await db.schema
    .createIndex('organization_branding_logo')
    .on('organization_branding')
    .column('logo_sha256')
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organization_branding').execute()
}

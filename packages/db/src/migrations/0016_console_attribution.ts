import { type Kysely, sql } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // Which organisations a Meta receipt was about, written in the transaction that processed
  // it: the owner of each connected WABA or number it named at that moment. The console lists
  // an organisation's receipts by this, never by today's ownership of the Meta ids, so a
  // former (or later) owner of a WABA does not read the other's receipts.
  await db.schema
    .createTable('meta_receipt_organizations')
    .addColumn('receipt_id', 'text', (c) =>
      c.notNull().references('meta_webhook_receipts.id').onDelete('cascade'),
    )
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('test', 'live')`))
    // JSON array of the Meta ids (WABA, number) by which the receipt concerned it.
    .addColumn('meta_ids', 'text', (c) => c.notNull())
    // The receipt's, copied so the console's newest-first listing is one index range.
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meta_receipt_organizations_pk', ['receipt_id', 'organization_id'])
    .execute()
  await db.schema
    .createIndex('meta_receipt_organizations_scope')
    .on('meta_receipt_organizations')
    .columns(['organization_id', 'mode', 'received_at', 'receipt_id'])
    .execute()

  // The console user who made an API key (null: made otherwise, e.g. the CLI or before this).
  await db.schema.alterTable('api_keys').addColumn('created_by', 'text').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('created_by').execute()
  await db.schema.dropTable('meta_receipt_organizations').execute()
}

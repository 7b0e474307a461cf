import type { Kysely } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // The worker purges by age in bounded batches: processed Meta receipts and their dedup items
  // after META_WEBHOOK_RECEIPT_RETENTION, idempotency records after their 24 h window. Each
  // batch reads the oldest rows first, so each table needs its time column indexed.
  await db.schema
    .createIndex('meta_webhook_receipts_received_at')
    .on('meta_webhook_receipts')
    .columns(['received_at', 'id'])
    .execute()
  await db.schema
    .createIndex('meta_webhook_items_created_at')
    .on('meta_webhook_items')
    .column('created_at')
    .execute()
  await db.schema
    .createIndex('idempotency_keys_created_at')
    .on('idempotency_keys')
    .column('created_at')
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'idempotency_keys_created_at',
    'meta_webhook_items_created_at',
    'meta_webhook_receipts_received_at',
  ]) {
    await db.schema.dropIndex(index).execute()
  }
}

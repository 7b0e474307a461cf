import { type Kysely, sql } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // Meta's inbound deliveries. `mode` is the app whose secret signed the body (live app →
  // live, sandbox app → test); Meta retries the identical body, so its hash is the key.
  await db.schema
    .createTable('meta_webhook_receipts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('test', 'live')`))
    .addColumn('body_sha256', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'processed', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('events_recorded', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text')
    .addUniqueConstraint('meta_webhook_receipts_unique_body', ['mode', 'body_sha256'])
    .execute()
  // The worker's sweeper looks only at receipts still waiting.
  await db.schema
    .createIndex('meta_webhook_receipts_pending')
    .on('meta_webhook_receipts')
    .columns(['received_at', 'id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute()

  // One row per message / status / account change already turned into events: the same
  // item relayed in two different batches (different bodies) still makes one event.
  await db.schema
    .createTable('meta_webhook_items')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('receipt_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meta_webhook_items_pk', ['mode', 'item_key'])
    .execute()

  // account_update facts per Meta WABA, kept whether or not a sign-up of ours has the WABA
  // yet, so an interrupted sign-up can be completed from them later.
  await db.schema
    .createTable('meta_waba_installs')
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('test', 'live')`))
    .addColumn('meta_waba_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('shared', 'installed', 'removed')`),
    )
    .addColumn('last_event', 'text', (c) => c.notNull())
    // When Meta says the last event happened: an older event arriving late changes nothing.
    .addColumn('event_time', 'text', (c) => c.notNull())
    .addColumn('owner_business_id', 'text')
    .addColumn('partner_app_id', 'text')
    .addColumn('solution_id', 'text')
    .addColumn('disconnection_reason', 'text')
    .addColumn('installed_at', 'text')
    .addColumn('removed_at', 'text')
    .addColumn('receipt_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meta_waba_installs_pk', ['mode', 'meta_waba_id'])
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['meta_waba_installs', 'meta_webhook_items', 'meta_webhook_receipts']) {
    await db.schema.dropTable(table).execute()
  }
}

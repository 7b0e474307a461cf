import { type Kysely, sql } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // Test mode's fake Meta keeps what it issued here, so every API replica sees the same
  // signups, codes, tokens and assets. Each row's shape beyond its keys is the sandbox's
  // own business: it is JSON text in `data`.
  await db.schema
    .createTable('sandbox_signups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.unique())
    // Set once, by the exchange that wins: a code is single-use across replicas.
    .addColumn('code_exchanged_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('sandbox_signups_created_at')
    .on('sandbox_signups')
    .columns(['created_at', 'id'])
    .execute()

  await db.schema
    .createTable('sandbox_tokens')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('signup_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('sandbox_tokens_signup_id')
    .on('sandbox_tokens')
    .column('signup_id')
    .execute()

  // Businesses, WABAs and phones share one id space, as Graph ids do.
  await db.schema
    .createTable('sandbox_assets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('business', 'waba', 'phone')`))
    // The signup that created it; null for assets that outlive signups (the shared WABA).
    .addColumn('signup_id', 'text')
    // A phone's E.164 number, so a new phone gets one nobody else has.
    .addColumn('phone_number', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('sandbox_assets_signup_id')
    .on('sandbox_assets')
    .column('signup_id')
    .execute()
  await db.schema
    .createIndex('sandbox_assets_phone_number')
    .on('sandbox_assets')
    .column('phone_number')
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['sandbox_assets', 'sandbox_tokens', 'sandbox_signups']) {
    await db.schema.dropTable(table).execute()
  }
}

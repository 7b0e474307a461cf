import { type Kysely, sql } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // Messages sent through POST /v1/phones/:id/messages, one row each once Meta accepted it.
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('test', 'live')`))
    .addColumn('phone_number_id', 'text', (c) => c.notNull())
    .addColumn('waba_id', 'text', (c) => c.notNull())
    // Meta's id for the message (`wamid.…`): its status webhooks name the message by it.
    .addColumn('wamid', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('wa_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    // The Cloud API body as sent, JSON text.
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('accepted', 'sent', 'delivered', 'read', 'failed')`),
    )
    // Meta's errors from a failed status, JSON text.
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('messages_mode_wamid')
    .on('messages')
    .columns(['mode', 'wamid'])
    .unique()
    .execute()
  await db.schema
    .createIndex('messages_phone_created')
    .on('messages')
    .columns(['organization_id', 'mode', 'phone_number_id', 'created_at', 'id'])
    .execute()

  // Each status Meta's webhooks reported for a message, keyed by Meta's id rather than our
  // row: a status may be processed before the send that produced it has stored its row.
  await db.schema
    .createTable('message_statuses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('test', 'live')`))
    .addColumn('phone_number_id', 'text', (c) => c.notNull())
    .addColumn('wamid', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // When Meta says it happened (its `timestamp`), ISO text.
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('errors', 'text')
    .addColumn('pricing', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('message_statuses_wamid')
    .on('message_statuses')
    .columns(['mode', 'wamid', 'occurred_at'])
    .execute()
  // Retention deletes old statuses of messages not sent through us, oldest first.
  await db.schema
    .createIndex('message_statuses_recorded_at')
    .on('message_statuses')
    .column('recorded_at')
    .execute()

  // Meta answered 190 (invalid or expired token) for this WABA's business token: sending
  // stops until a new sign-up stores a new token.
  await db.schema.alterTable('wabas').addColumn('token_invalid_at', 'text').execute()
  await db.schema.alterTable('wabas').addColumn('token_error', 'text').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wabas').dropColumn('token_error').execute()
  await db.schema.alterTable('wabas').dropColumn('token_invalid_at').execute()
  await db.schema.dropTable('message_statuses').execute()
  await db.schema.dropTable('messages').execute()
}

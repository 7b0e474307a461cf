import { type Kysely, sql } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
type AnyDb = Kysely<any>

async function createMessages(db: AnyDb, name: string, statuses: string, wamidRequired: boolean) {
  await db.schema
    .createTable(name)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('test', 'live')`))
    .addColumn('phone_number_id', 'text', (c) => c.notNull())
    .addColumn('waba_id', 'text', (c) => c.notNull())
    .addColumn('wamid', 'text', (c) => (wamidRequired ? c.notNull() : c))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('wa_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in (${statuses})`)))
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}

const COLUMNS =
  'id, organization_id, mode, phone_number_id, waba_id, wamid, recipient, wa_id, type, body, status, error, created_at, updated_at'

/**
 * Rebuilds `messages` with another status rule and wamid rule, copying its rows. SQLite can
 * change neither a CHECK nor NOT NULL in place, so both dialects take the same path.
 */
async function rebuild(db: AnyDb, statuses: string, wamidRequired: boolean) {
  await createMessages(db, 'messages_rebuilt', statuses, wamidRequired)
  await sql
    .raw(`insert into messages_rebuilt (${COLUMNS}) select ${COLUMNS} from messages`)
    .execute(db)
  await db.schema.dropTable('messages').execute()
  await db.schema.alterTable('messages_rebuilt').renameTo('messages').execute()
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
}

export async function up(db: AnyDb): Promise<void> {
  // A send whose outcome is unknown (Meta did not answer, or answered 5xx, after the request
  // was sent) is stored as `unknown` with no wamid: Meta gave us none to correlate by. Both
  // SQLite and PostgreSQL let the unique (mode, wamid) index hold any number of nulls.
  await rebuild(db, `'accepted', 'unknown', 'sent', 'delivered', 'read', 'failed'`, false)
}

export async function down(db: AnyDb): Promise<void> {
  // Messages whose outcome was never known cannot live under the old rules.
  await db.deleteFrom('messages').where('status', '=', 'unknown').execute()
  await rebuild(db, `'accepted', 'sent', 'delivered', 'read', 'failed'`, true)
}

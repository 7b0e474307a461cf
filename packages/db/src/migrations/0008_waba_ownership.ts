import { type Kysely, sql } from 'kysely'

/** Why a duplicate connection was disconnected by this migration (wabas.disconnected_reason). */
const DUPLICATE_REASON = 'connected_to_another_organization'

// Migrations are frozen in time: they take Kysely<any> and never import app code.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  // What Meta's WA_EMBEDDED_SIGNUP FINISH message told the hosted page, recorded the moment
  // the page posts it (even when the code exchange then fails): the evidence a manual
  // completion needs that this signup, and no other, produced the WABA.
  for (const table of ['signup_sessions', 'onboarding_links']) {
    for (const column of [
      'finish_meta_waba_id',
      'finish_meta_phone_number_id',
      'finish_meta_business_id',
      'finish_received_at',
    ]) {
      await db.schema.alterTable(table).addColumn(column, 'text').execute()
    }
  }

  // A PARTNER_APP_INSTALLED is evidence for one completion only: the session or link that used it.
  await db.schema.alterTable('meta_waba_installs').addColumn('claimed_by', 'text').execute()
  await db.schema.alterTable('meta_waba_installs').addColumn('claimed_at', 'text').execute()

  await db.schema.alterTable('wabas').addColumn('disconnected_reason', 'text').execute()

  // One owner per Meta WABA and mode. Where several organisations hold the same WABA as
  // connected (possible before this migration), the earliest keeps it and the later ones
  // are disconnected, saying why.
  const now = new Date().toISOString()
  await sql`
    update wabas
    set status = 'disconnected', disconnected_reason = ${DUPLICATE_REASON}, updated_at = ${now}
    where status = 'connected'
      and exists (
        select 1 from wabas earlier
        where earlier.mode = wabas.mode
          and earlier.meta_waba_id = wabas.meta_waba_id
          and earlier.status = 'connected'
          and (earlier.created_at < wabas.created_at
            or (earlier.created_at = wabas.created_at and earlier.id < wabas.id))
      )
  `.execute(db)
  await sql`
    update phone_numbers
    set meta_status = 'DISCONNECTED', updated_at = ${now}
    where waba_id in (select id from wabas where disconnected_reason = ${DUPLICATE_REASON})
  `.execute(db)
  // So two racing completions from two organisations cannot both commit.
  await db.schema
    .createIndex('wabas_one_connected_owner')
    .on('wabas')
    .columns(['mode', 'meta_waba_id'])
    .unique()
    .where(sql.ref('status'), '=', 'connected')
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('wabas_one_connected_owner').execute()
  await db.schema.alterTable('wabas').dropColumn('disconnected_reason').execute()
  await db.schema.alterTable('meta_waba_installs').dropColumn('claimed_at').execute()
  await db.schema.alterTable('meta_waba_installs').dropColumn('claimed_by').execute()
  for (const table of ['onboarding_links', 'signup_sessions']) {
    for (const column of [
      'finish_received_at',
      'finish_meta_business_id',
      'finish_meta_phone_number_id',
      'finish_meta_waba_id',
    ]) {
      await db.schema.alterTable(table).dropColumn(column).execute()
    }
  }
}

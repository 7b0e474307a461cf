import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import SQLite from 'better-sqlite3'
import { Migrator, sql } from 'kysely'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import {
  createDb,
  type DatabaseLocation,
  type Db,
  dialectOf,
  isUniqueViolation,
  migrateToLatest,
  migrations,
} from '../src/index'

const onPostgres = process.env.TEST_DATABASE === 'postgres'
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const dropAfterwards: string[] = []

/** An empty database of the dialect under test. */
async function emptyDatabase(): Promise<{ db: Db; location: DatabaseLocation }> {
  if (!onPostgres) {
    const filename = join(mkdtempSync(join(tmpdir(), 'db-test-')), 'x.db')
    return {
      db: createDb({ dialect: 'sqlite', filename }),
      location: { dialect: 'sqlite', filename },
    }
  }
  const name = `onboard_dbtest_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  await admin.query(`create database "${name}"`)
  await admin.end()
  dropAfterwards.push(name)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  const location: DatabaseLocation = { dialect: 'postgres', url: url.toString() }
  return { db: createDb(location), location }
}

afterAll(async () => {
  if (dropAfterwards.length === 0) return
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  for (const name of dropAfterwards) {
    await admin.query(`drop database if exists "${name}" with (force)`)
  }
  await admin.end()
})

describe('migrations', () => {
  it('lists every migration file in the static map', () => {
    const dir = fileURLToPath(new URL('../src/migrations', import.meta.url))
    const files = readdirSync(dir)
      .filter((f) => f !== 'index.ts' && f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
    expect(Object.keys(migrations).sort()).toEqual(files.sort())
  })

  it('migrates an empty database and is a no-op the second time', async () => {
    const { db } = await emptyDatabase()
    expect(dialectOf(db)).toBe(onPostgres ? 'postgres' : 'sqlite')
    const first = await migrateToLatest(db)
    expect(first.results?.every((r) => r.status === 'Success')).toBe(true)
    const second = await migrateToLatest(db)
    expect(second.results).toEqual([])
    const tables = await db.introspection.getTables()
    expect(tables.map((t) => t.name)).toContain('onboarding_links')
    await db.destroy()
  })

  it('numbers webhook attempts by itself', async () => {
    const { db } = await emptyDatabase()
    await migrateToLatest(db)
    const now = new Date().toISOString()
    await db.insertInto('organizations').values({ id: 'o', name: 'O', created_at: now }).execute()
    await sql`insert into outgoing_webhooks (id, organization_id, mode, url, secret_enc, events, enabled, created_at, updated_at)
      values ('w', 'o', 'test', 'https://x.test', 's', '[]', 1, ${now}, ${now})`.execute(db)
    await sql`insert into events (id, organization_id, mode, type, payload, created_at)
      values ('e', 'o', 'test', 't', '{}', ${now})`.execute(db)
    await sql`insert into webhook_deliveries (id, organization_id, mode, event_type, event_id, endpoint_id, status, created_at, updated_at)
      values ('d', 'o', 'test', 't', 'e', 'w', 'pending', ${now}, ${now})`.execute(db)
    for (let i = 0; i < 2; i++) {
      await db
        .insertInto('webhook_attempts')
        .values({
          delivery_id: 'd',
          trigger: 'scheduled',
          attempted_at: now,
          http_status: 500,
          duration_ms: 1,
          response_body: null,
          error: null,
        })
        .execute()
    }
    const ids = await db.selectFrom('webhook_attempts').select('id').orderBy('id').execute()
    expect(ids.map((r) => r.id)).toEqual([1, 2])
    await db.destroy()
  })
})

describe('0007_onboarding_link_counts', () => {
  it('counts the links that existed before it ran, and follows inserts and deletes', async () => {
    const { db } = await emptyDatabase()
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
    await migrator.migrateTo('0006_signup_sessions')
    await sql`insert into organizations values ('o1', 'One', 'now'), ('o2', 'Two', 'now')`.execute(
      db,
    )
    const insertLink = (id: string, org: string, mode: string) =>
      sql`insert into onboarding_links (id, organization_id, mode, name, status, expires_at, created_at, updated_at)
          values (${id}, ${org}, ${mode}, 'x', 'pending', 'later', 'now', 'now')`.execute(db)
    for (const [id, org, mode] of [
      ['a', 'o1', 'test'],
      ['b', 'o1', 'test'],
      ['c', 'o1', 'live'],
      ['d', 'o2', 'test'],
    ] as const) {
      await insertLink(id, org, mode)
    }
    await migrateToLatest(db)
    const counts = () =>
      db
        .selectFrom('onboarding_link_counts')
        .selectAll()
        .orderBy('organization_id')
        .orderBy('mode')
        .execute()
    expect(await counts()).toEqual([
      { organization_id: 'o1', mode: 'live', total: 1 },
      { organization_id: 'o1', mode: 'test', total: 2 },
      { organization_id: 'o2', mode: 'test', total: 1 },
    ])
    await insertLink('e', 'o2', 'live')
    await db.deleteFrom('onboarding_links').where('id', '=', 'a').execute()
    expect(await counts()).toEqual([
      { organization_id: 'o1', mode: 'live', total: 1 },
      { organization_id: 'o1', mode: 'test', total: 1 },
      { organization_id: 'o2', mode: 'live', total: 1 },
      { organization_id: 'o2', mode: 'test', total: 1 },
    ])
    await db.destroy()
  })

  it('keeps sent messages through 0014, then takes unknown outcomes without a wamid, and back', async () => {
    const { db } = await emptyDatabase()
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
    await migrator.migrateTo('0013_messages')
    await sql`insert into organizations values ('o1', 'One', 'now')`.execute(db)
    const insert = (id: string, wamid: string | null, status: string) =>
      sql`insert into messages (id, organization_id, mode, phone_number_id, waba_id, wamid, recipient, type, body, status, created_at, updated_at)
          values (${id}, 'o1', 'test', 'p', 'w', ${wamid}, '+1', 'text', '{}', ${status}, 'now', 'now')`.execute(
        db,
      )
    await insert('m1', 'wamid.1', 'delivered')
    await expect(insert('m2', null, 'unknown')).rejects.toThrow()
    await migrateToLatest(db)
    await insert('m2', null, 'unknown')
    await insert('m3', null, 'unknown')
    await expect(insert('m4', 'wamid.1', 'accepted')).rejects.toThrow()
    await expect(insert('m5', 'wamid.5', 'lost')).rejects.toThrow()
    const rows = () =>
      db.selectFrom('messages').select(['id', 'wamid', 'status']).orderBy('id').execute()
    expect(await rows()).toEqual([
      { id: 'm1', wamid: 'wamid.1', status: 'delivered' },
      { id: 'm2', wamid: null, status: 'unknown' },
      { id: 'm3', wamid: null, status: 'unknown' },
    ])
    // Going back drops what the old rules cannot hold.
    const down = await migrator.migrateTo('0013_messages')
    expect(down.error).toBeUndefined()
    expect(await rows()).toEqual([{ id: 'm1', wamid: 'wamid.1', status: 'delivered' }])
    await db.destroy()
  })
})

describe.skipIf(onPostgres)('SQLite files', () => {
  it('are opened in WAL mode with foreign keys on', async () => {
    const { db, location } = await emptyDatabase()
    await migrateToLatest(db)
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)
    expect(journal.rows[0]?.journal_mode).toBe('wal')
    const foreignKeys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)
    expect(foreignKeys.rows[0]?.foreign_keys).toBe(1)
    await db.destroy()
    expect(location.dialect).toBe('sqlite')
  })

  it('let a transaction that reads before it writes wait for another process', async () => {
    const { db, location } = await emptyDatabase()
    await migrateToLatest(db)
    if (location.dialect !== 'sqlite') throw new Error('unreachable')
    // Another process (the CLI, say) holds the write lock for a moment...
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const d = new D(process.argv[1]);
         d.exec('begin immediate'); d.prepare("insert into organizations values ('b', 'b', 'now')").run();
         process.stdout.write('locked\\n'); setTimeout(() => { d.exec('commit'); d.close() }, 300)`,
        location.filename,
      ],
      { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()))
    // ...while this transaction reads before it writes: BEGIN IMMEDIATE waits for the lock.
    // A deferred BEGIN would fail at its write with SQLITE_BUSY, whatever the busy timeout.
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('organizations').selectAll().execute()
      await trx
        .insertInto('organizations')
        .values({ id: 'a', name: 'a', created_at: new Date().toISOString() })
        .execute()
    })
    await new Promise((resolve) => holder.once('exit', resolve))
    const ids = (await db.selectFrom('organizations').select('id').orderBy('id').execute()).map(
      (r) => r.id,
    )
    expect(ids).toEqual(['a', 'b'])
    await db.destroy()
    // The file is an ordinary SQLite database other tools can open.
    const raw = new SQLite(location.filename, { readonly: true })
    expect(raw.prepare('select count(*) as n from organizations').get()).toEqual({ n: 2 })
    raw.close()
  })
})

describe('0008_waba_ownership', () => {
  it('keeps the earliest connected holder of a Meta WABA and disconnects the later ones, saying why', async () => {
    const { db } = await emptyDatabase()
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
    await migrator.migrateTo('0007_onboarding_link_counts')
    await sql`insert into organizations values ('o1', 'One', 'now'), ('o2', 'Two', 'now'), ('o3', 'Three', 'now')`.execute(
      db,
    )
    for (const [id, org, mode, metaId, status, at] of [
      ['w-b', 'o2', 'test', '111', 'connected', '2026-01-02T00:00:00.000Z'],
      ['w-a', 'o1', 'test', '111', 'connected', '2026-01-01T00:00:00.000Z'],
      ['w-c', 'o3', 'test', '111', 'connected', '2026-01-03T00:00:00.000Z'],
      ['w-live', 'o2', 'live', '111', 'connected', '2026-01-05T00:00:00.000Z'],
      ['w-old', 'o3', 'live', '111', 'disconnected', '2025-01-01T00:00:00.000Z'],
    ]) {
      await sql`insert into wabas (id, organization_id, mode, meta_waba_id, name, access_token_enc,
           connected_account, source, status, is_subscribed, created_at, updated_at)
         values (${id}, ${org}, ${mode}, ${metaId}, 'w', 'x', '{}', 'embedded_signup', ${status}, 1, ${at}, ${at})`.execute(
        db,
      )
    }
    await sql`insert into phone_numbers (id, organization_id, mode, waba_id, meta_phone_number_id,
        phone_number, display_phone_number, meta_status, is_registered, is_coexistence, created_at, updated_at)
      values ('p-b', 'o2', 'test', 'w-b', '222', '+1', '1', 'CONNECTED', 1, 0, 'now', 'now')`.execute(
      db,
    )
    await migrateToLatest(db)
    const rows = await db
      .selectFrom('wabas')
      .select(['id', 'status', 'disconnected_reason'])
      .orderBy('id')
      .execute()
    expect(rows).toEqual([
      { id: 'w-a', status: 'connected', disconnected_reason: null },
      {
        id: 'w-b',
        status: 'disconnected',
        disconnected_reason: 'connected_to_another_organization',
      },
      {
        id: 'w-c',
        status: 'disconnected',
        disconnected_reason: 'connected_to_another_organization',
      },
      { id: 'w-live', status: 'connected', disconnected_reason: null },
      { id: 'w-old', status: 'disconnected', disconnected_reason: null },
    ])
    const phone = await db.selectFrom('phone_numbers').select('meta_status').executeTakeFirst()
    expect(phone?.meta_status).toBe('DISCONNECTED')
    // From now on the database itself refuses a second connected holder in the same mode.
    const secondHolder = await sql`update wabas set status = 'connected' where id = 'w-b'`
      .execute(db)
      .catch((error: unknown) => error)
    expect(isUniqueViolation(secondHolder)).toBe(true)
    // Once the live holder lets go, another organisation may connect it.
    await sql`update wabas set status = 'disconnected' where id = 'w-live'`.execute(db)
    await sql`update wabas set status = 'connected' where id = 'w-old'`.execute(db)
    await db.destroy()
  })
})

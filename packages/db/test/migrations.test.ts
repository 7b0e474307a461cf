import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createDb, migrateToLatest, migrations } from '../src/index'

describe('migrations', () => {
  it('lists every migration file in the static map', () => {
    const dir = fileURLToPath(new URL('../src/migrations', import.meta.url))
    const files = readdirSync(dir)
      .filter((f) => f !== 'index.ts' && f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
    expect(Object.keys(migrations).sort()).toEqual(files.sort())
  })

  it('migrates an empty database and is a no-op the second time', async () => {
    const { db } = createDb({ filename: ':memory:' })
    const first = await migrateToLatest(db)
    expect(first.results?.every((r) => r.status === 'Success')).toBe(true)
    const second = await migrateToLatest(db)
    expect(second.results).toEqual([])
    const tables = await db.introspection.getTables()
    expect(tables.map((t) => t.name)).toContain('onboarding_links')
    await db.destroy()
  })

  it('opens files in WAL mode with foreign keys on', async () => {
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'db-test-'))
    const { db, sqlite } = createDb({ filename: join(dir, 'x.db') })
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    await db.destroy()
  })
})

describe('transactions across processes', () => {
  it('wait for the other writer instead of failing when they read before writing', async () => {
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { spawn } = await import('node:child_process')
    const filename = join(mkdtempSync(join(tmpdir(), 'db-tx-')), 'x.db')
    const { db } = createDb({ filename })
    await migrateToLatest(db)

    // Another process (as the worker would be) holds the write lock for a moment...
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const d = new D(process.argv[1]);
         d.exec('begin immediate'); d.prepare("insert into organizations values ('b', 'b', 'now')").run();
         process.stdout.write('locked\\n'); setTimeout(() => { d.exec('commit'); d.close() }, 300)`,
        filename,
      ],
      { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()))
    // ...while this transaction reads before it writes: it waits for the lock and succeeds.
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
  })
})

describe('0007_onboarding_link_counts', () => {
  it('counts the links that existed before it ran', async () => {
    const { db, sqlite } = createDb({ filename: ':memory:' })
    const { Migrator } = await import('kysely')
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
    await migrator.migrateTo('0006_signup_sessions')
    sqlite.exec(`insert into organizations values ('o1', 'One', 'now'), ('o2', 'Two', 'now')`)
    const insert = sqlite.prepare(
      `insert into onboarding_links (id, organization_id, mode, name, status, expires_at, created_at, updated_at)
       values (?, ?, ?, 'x', 'pending', 'later', 'now', 'now')`,
    )
    for (const [id, org, mode] of [
      ['a', 'o1', 'test'],
      ['b', 'o1', 'test'],
      ['c', 'o1', 'live'],
      ['d', 'o2', 'test'],
    ]) {
      insert.run(id, org, mode)
    }
    await migrateToLatest(db)
    const counts = await db
      .selectFrom('onboarding_link_counts')
      .selectAll()
      .orderBy('organization_id')
      .orderBy('mode')
      .execute()
    expect(counts).toEqual([
      { organization_id: 'o1', mode: 'live', total: 1 },
      { organization_id: 'o1', mode: 'test', total: 2 },
      { organization_id: 'o2', mode: 'test', total: 1 },
    ])
    await db.destroy()
  })
})

describe('0008_waba_ownership', () => {
  it('keeps the earliest connected holder of a Meta WABA and disconnects the later ones, saying why', async () => {
    const { db, sqlite } = createDb({ filename: ':memory:' })
    const { Migrator } = await import('kysely')
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
    await migrator.migrateTo('0007_onboarding_link_counts')
    sqlite.exec(
      `insert into organizations values ('o1', 'One', 'now'), ('o2', 'Two', 'now'), ('o3', 'Three', 'now')`,
    )
    const waba = sqlite.prepare(
      `insert into wabas (id, organization_id, mode, meta_waba_id, name, access_token_enc,
         connected_account, source, status, is_subscribed, created_at, updated_at)
       values (?, ?, ?, ?, 'w', 'x', '{}', 'embedded_signup', ?, 1, ?, ?)`,
    )
    for (const [id, org, mode, metaId, status, at] of [
      ['w-b', 'o2', 'test', '111', 'connected', '2026-01-02T00:00:00.000Z'],
      ['w-a', 'o1', 'test', '111', 'connected', '2026-01-01T00:00:00.000Z'],
      ['w-c', 'o3', 'test', '111', 'connected', '2026-01-03T00:00:00.000Z'],
      ['w-live', 'o2', 'live', '111', 'connected', '2026-01-05T00:00:00.000Z'],
      ['w-old', 'o3', 'live', '111', 'disconnected', '2025-01-01T00:00:00.000Z'],
    ]) {
      waba.run(id, org, mode, metaId, status, at, at)
    }
    sqlite.exec(`insert into phone_numbers (id, organization_id, mode, waba_id, meta_phone_number_id,
        phone_number, display_phone_number, meta_status, is_registered, is_coexistence, created_at, updated_at)
      values ('p-b', 'o2', 'test', 'w-b', '222', '+1', '1', 'CONNECTED', 1, 0, 'now', 'now')`)
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
    expect(() => sqlite.exec(`update wabas set status = 'connected' where id = 'w-b'`)).toThrow(
      /UNIQUE/,
    )
    // Once the live holder lets go, another organisation may connect it.
    sqlite.exec(`update wabas set status = 'disconnected' where id = 'w-live'`)
    sqlite.exec(`update wabas set status = 'connected' where id = 'w-old'`)
    await db.destroy()
  })
})

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDb, type Db, migrateToLatest, openSqlite, precompile } from '../src/index'

const organizationValues = (id: string) => ({ id, name: id, created_at: new Date().toISOString() })

const insertOrganizationPrecompiled = precompile<{ id: string; at: string }, never>((db, param) =>
  db
    .insertInto('organizations')
    .values({ id: param('id'), name: param('id'), created_at: param('at') }),
)

/** The ways a write reaches the connection: each must wait without blocking. */
const writes: [string, (db: Db, id: string) => Promise<unknown>][] = [
  [
    'a Kysely transaction',
    (db, id) =>
      db
        .transaction()
        .execute((trx) => trx.insertInto('organizations').values(organizationValues(id)).execute()),
  ],
  [
    'a Kysely write outside a transaction',
    (db, id) => db.insertInto('organizations').values(organizationValues(id)).execute(),
  ],
  [
    'a precompiled write outside a transaction',
    (db, id) => insertOrganizationPrecompiled(db, { id, at: new Date().toISOString() }),
  ],
]

// Two connections to one file, as the API and the worker are: `other` holds the write lock
// the way the other process would, and `db` writes meanwhile.
describe('a write waiting for the other connection’s write lock', () => {
  let file: string
  let other: ReturnType<typeof openSqlite>
  let opened: { db: Db; sqlite: ReturnType<typeof openSqlite> } | undefined

  beforeEach(async () => {
    file = join(mkdtempSync(join(tmpdir(), 'write-lock-')), 'x.db')
    const setup = createDb({ filename: file })
    await migrateToLatest(setup.db)
    await setup.db.destroy()
    other = openSqlite({ filename: file })
  })
  afterEach(async () => {
    await opened?.db.destroy()
    opened = undefined
    if (other.inTransaction) other.exec('rollback')
    other.close()
  })

  it.each(writes)('%s waits without blocking the event loop, then goes ahead', async (_, write) => {
    opened = createDb({ filename: file, busyTimeoutMs: 2000 })
    other.exec('begin immediate')
    // SQLite's own busy handler would sleep inside BEGIN, this timer could not fire to
    // release the lock, and the insert would fail with SQLITE_BUSY after the whole timeout.
    let ticks = 0
    const ticker = setInterval(() => ticks++, 1)
    const release = setTimeout(() => other.exec('commit'), 30)
    try {
      await write(opened.db, 'org_after_wait')
    } finally {
      clearInterval(ticker)
      clearTimeout(release)
    }
    expect(other.inTransaction).toBe(false)
    expect(ticks).toBeGreaterThan(3)
    const row = other.prepare('select id from organizations where id = ?').get('org_after_wait')
    expect(row).toEqual({ id: 'org_after_wait' })
  })

  it.each(writes)('%s gives up with SQLITE_BUSY after the busy timeout', async (_, write) => {
    opened = createDb({ filename: file, busyTimeoutMs: 100 })
    other.exec('begin immediate')
    let timerFired = false
    const timer = setTimeout(() => {
      timerFired = true
    }, 10)
    await expect(write(opened.db, 'org_never')).rejects.toMatchObject({
      code: 'SQLITE_BUSY',
    })
    clearTimeout(timer)
    expect(timerFired).toBe(true)
    other.exec('commit')
    expect(other.prepare('select count(*) as n from organizations').get()).toEqual({ n: 0 })
    expect(opened.sqlite.inTransaction).toBe(false)
  })

  it('lets reads run at once while the other connection writes', async () => {
    opened = createDb({ filename: file, busyTimeoutMs: 2000 })
    other.exec('begin immediate')
    other
      .prepare('insert into organizations (id, name, created_at) values (?, ?, ?)')
      .run('org_x', 'x', 'now')
    // Answered while the lock is still held: a read needs no lock in WAL mode, and sees
    // only what was committed.
    const rows = await opened.db.selectFrom('organizations').select('id').execute()
    expect(other.inTransaction).toBe(true)
    expect(rows).toEqual([])
  })

  it('leaves the connection’s busy timeout as configured for the statements after it', async () => {
    opened = createDb({ filename: file, busyTimeoutMs: 1234 })
    other.exec('begin immediate')
    const release = setTimeout(() => other.exec('commit'), 5)
    await opened.db.insertInto('organizations').values(organizationValues('org_a')).execute()
    clearTimeout(release)
    expect(opened.sqlite.pragma('busy_timeout', { simple: true })).toBe(1234)
  })

  it.each(writes)('%s takes a free lock at once and commits', async (_, write) => {
    opened = createDb({ filename: file })
    await write(opened.db, 'org_free')
    expect(opened.sqlite.inTransaction).toBe(false)
    expect(other.prepare('select id from organizations').all()).toEqual([{ id: 'org_free' }])
  })
})

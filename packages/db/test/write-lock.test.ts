import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDb, type Db, migrateToLatest, openSqlite } from '../src/index'

// Two connections to one file, as the API and the worker are: `other` holds the write lock
// the way the other process would, and `db` starts a transaction meanwhile.
describe('a transaction waiting for the other connection’s write lock', () => {
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

  const insertOrganization = (db: Db, id: string) =>
    db
      .transaction()
      .execute((trx) =>
        trx
          .insertInto('organizations')
          .values({ id, name: id, created_at: new Date().toISOString() })
          .execute(),
      )

  it('waits without blocking the event loop, and goes ahead once the lock is released', async () => {
    opened = createDb({ filename: file, busyTimeoutMs: 2000 })
    other.exec('begin immediate')
    // SQLite's own busy handler would sleep inside BEGIN, this timer could not fire to
    // release the lock, and the insert would fail with SQLITE_BUSY after the whole timeout.
    let ticks = 0
    const ticker = setInterval(() => ticks++, 1)
    const release = setTimeout(() => other.exec('commit'), 30)
    try {
      await insertOrganization(opened.db, 'org_after_wait')
    } finally {
      clearInterval(ticker)
      clearTimeout(release)
    }
    expect(other.inTransaction).toBe(false)
    expect(ticks).toBeGreaterThan(3)
    const row = other.prepare('select id from organizations where id = ?').get('org_after_wait')
    expect(row).toEqual({ id: 'org_after_wait' })
  })

  it('gives up with SQLITE_BUSY after the busy timeout, changing nothing', async () => {
    opened = createDb({ filename: file, busyTimeoutMs: 100 })
    other.exec('begin immediate')
    let timerFired = false
    const timer = setTimeout(() => {
      timerFired = true
    }, 10)
    await expect(insertOrganization(opened.db, 'org_never')).rejects.toMatchObject({
      code: 'SQLITE_BUSY',
    })
    clearTimeout(timer)
    expect(timerFired).toBe(true)
    other.exec('commit')
    expect(other.prepare('select count(*) as n from organizations').get()).toEqual({ n: 0 })
  })

  it('leaves the connection’s busy timeout as configured for the statements after it', async () => {
    opened = createDb({ filename: file, busyTimeoutMs: 1234 })
    other.exec('begin immediate')
    const release = setTimeout(() => other.exec('commit'), 5)
    await insertOrganization(opened.db, 'org_a')
    clearTimeout(release)
    expect(opened.sqlite.pragma('busy_timeout', { simple: true })).toBe(1234)
  })

  it('takes a free lock at once and commits', async () => {
    opened = createDb({ filename: file })
    await insertOrganization(opened.db, 'org_free')
    expect(opened.sqlite.inTransaction).toBe(false)
    expect(other.prepare('select id from organizations').all()).toEqual([{ id: 'org_free' }])
  })
})

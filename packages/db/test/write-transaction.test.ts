import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createDb,
  type Db,
  migrateToLatest,
  openSqlite,
  precompile,
  type WriteTransaction,
  writeTransaction,
} from '../src/index'

const insertOrganization = precompile<{ id: string; name: string }, never>((db, param) =>
  db
    .insertInto('organizations')
    .values({ id: param('id'), name: param('name'), created_at: '2026-01-01T00:00:00.000Z' }),
)

const renameOrganization = precompile<{ id: string; name: string }, { id: string }>((db, param) =>
  db
    .updateTable('organizations')
    .set({ name: param('name') })
    .where('id', '=', param('id'))
    .returning('id'),
)

describe('writeTransaction', () => {
  let file: string
  let db: Db

  beforeEach(async () => {
    file = join(mkdtempSync(join(tmpdir(), 'write-transaction-')), 'x.db')
    db = createDb({ filename: file }).db
    await migrateToLatest(db)
  })
  afterEach(() => db.destroy())

  const names = () => db.selectFrom('organizations').select(['id', 'name']).orderBy('id').execute()

  it('commits what the body wrote and returns what it returned', async () => {
    const renamed = await writeTransaction(db, (trx) => {
      insertOrganization.inTransaction(trx, { id: 'org_a', name: 'Acme' })
      insertOrganization.inTransaction(trx, { id: 'org_b', name: 'Globex' })
      trx.execute(
        db.updateTable('organizations').set({ name: 'Globex 2' }).where('id', '=', 'org_b'),
      )
      return [
        renameOrganization.inTransaction(trx, { id: 'org_a', name: 'Acme 2' }),
        renameOrganization.inTransaction(trx, { id: 'org_none', name: 'Nobody' }),
      ]
    })
    expect(renamed).toEqual([[{ id: 'org_a' }], []])
    expect(await names()).toEqual([
      { id: 'org_a', name: 'Acme 2' },
      { id: 'org_b', name: 'Globex 2' },
    ])
  })

  it('rolls everything back when the body throws, and the connection goes on', async () => {
    await expect(
      writeTransaction(db, (trx) => {
        insertOrganization.inTransaction(trx, { id: 'org_a', name: 'Acme' })
        insertOrganization.inTransaction(trx, { id: 'org_a', name: 'Acme again' })
      }),
    ).rejects.toThrow(/UNIQUE constraint failed/)
    expect(await names()).toEqual([])
    await writeTransaction(db, (trx) =>
      insertOrganization.inTransaction(trx, { id: 'org_b', name: 'Globex' }),
    )
    expect(await names()).toEqual([{ id: 'org_b', name: 'Globex' }])
  })

  it('refuses an async body, writing nothing', async () => {
    await expect(
      writeTransaction(db, async (trx) => {
        insertOrganization.inTransaction(trx, { id: 'org_a', name: 'Acme' })
      }),
    ).rejects.toThrow('must not be async')
    expect(await names()).toEqual([])
  })

  it('runs nothing through a transaction kept past its body', async () => {
    let kept: WriteTransaction | undefined
    await writeTransaction(db, (trx) => {
      kept = trx
    })
    expect(() =>
      insertOrganization.inTransaction(kept as WriteTransaction, { id: 'org_a', name: 'Acme' }),
    ).toThrow('no open writeTransaction')
    expect(() => kept?.execute(db.deleteFrom('organizations'))).toThrow('no open writeTransaction')
  })

  it('keeps Kysely’s own transactions and queries out while it waits for the lock', async () => {
    const other = openSqlite({ filename: file })
    try {
      other.exec('begin immediate')
      const order: string[] = []
      const ours = writeTransaction(db, (trx) => {
        insertOrganization.inTransaction(trx, { id: 'org_a', name: 'Acme' })
        order.push('writeTransaction')
      })
      // Issued while ours waits for the other connection's lock: they wait for ours.
      const theirs = db.transaction().execute(async (trx) => {
        const seen = await trx.selectFrom('organizations').select('id').execute()
        order.push(`kysely transaction saw ${seen.length}`)
      })
      setTimeout(() => other.exec('commit'), 20)
      await Promise.all([ours, theirs])
      expect(order).toEqual(['writeTransaction', 'kysely transaction saw 1'])
    } finally {
      if (other.inTransaction) other.exec('rollback')
      other.close()
    }
  })
})

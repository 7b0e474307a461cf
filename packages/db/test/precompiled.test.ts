import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDb, type Db, migrateToLatest, precompile } from '../src/index'

const organizationRows = precompile<{ name: string; limit: number }, { id: string; name: string }>(
  (db, param) =>
    db
      .selectFrom('organizations')
      .select(['id', 'name'])
      .where('name', '=', param('name'))
      .where('id', '!=', 'never-this-id')
      .orderBy('id')
      .limit(param('limit')),
)

const renameOrganization = precompile<{ id: string; name: string }, never>((db, param) =>
  db
    .updateTable('organizations')
    .set({ name: param('name') })
    .where('id', '=', param('id')),
)

describe('precompile', () => {
  let db: Db

  beforeEach(async () => {
    db = createDb({ filename: join(mkdtempSync(join(tmpdir(), 'precompiled-')), 'x.db') }).db
    await migrateToLatest(db)
  })
  afterEach(() => db.destroy())

  const insertOrganization = (id: string, name: string) =>
    db
      .insertInto('organizations')
      .values({ id, name, created_at: new Date().toISOString() })
      .execute()

  it('binds each call’s parameters in place of the placeholders, keeping constants', async () => {
    await insertOrganization('org_a', 'Acme')
    await insertOrganization('org_b', 'Acme')
    await insertOrganization('org_c', 'Globex')
    expect(await organizationRows(db, { name: 'Acme', limit: 10 })).toEqual([
      { id: 'org_a', name: 'Acme' },
      { id: 'org_b', name: 'Acme' },
    ])
    expect(await organizationRows(db, { name: 'Acme', limit: 1 })).toEqual([
      { id: 'org_a', name: 'Acme' },
    ])
    expect(await organizationRows(db, { name: 'Globex', limit: 10 })).toEqual([
      { id: 'org_c', name: 'Globex' },
    ])
    expect(await organizationRows(db, { name: 'Nobody', limit: 10 })).toEqual([])
  })

  it('returns rows shaped exactly as Kysely returns them (all columns, aliases)', async () => {
    await insertOrganization('org_a', 'Acme')
    await insertOrganization('org_b', 'Globex')
    const everything = precompile<{ id: string }, unknown>((db, param) =>
      db.selectFrom('organizations').selectAll().where('id', '!=', param('id')).orderBy('id'),
    )
    const aliased = precompile<{ id: string }, unknown>((db, param) =>
      db.selectFrom('organizations').select(['id as key', 'name']).where('id', '=', param('id')),
    )
    expect(await everything(db, { id: 'none' })).toEqual(
      await db.selectFrom('organizations').selectAll().orderBy('id').execute(),
    )
    expect(await aliased(db, { id: 'org_b' })).toEqual([{ key: 'org_b', name: 'Globex' }])
  })

  it('runs statements that return no rows', async () => {
    await insertOrganization('org_a', 'Acme')
    expect(await renameOrganization(db, { id: 'org_a', name: 'Acme 2' })).toEqual([])
    expect(await organizationRows(db, { name: 'Acme 2', limit: 10 })).toHaveLength(1)
  })

  it('never reads another transaction’s uncommitted rows on the shared connection', async () => {
    let readDuringTransaction: Promise<unknown[]> | undefined
    const transaction = db.transaction().execute(async (trx) => {
      await trx
        .insertInto('organizations')
        .values({ id: 'org_x', name: 'Uncommitted', created_at: new Date().toISOString() })
        .execute()
      // Another request's read, issued while this transaction is open between its awaits.
      readDuringTransaction = organizationRows(db, { name: 'Uncommitted', limit: 10 })
      await new Promise((resolve) => setTimeout(resolve, 20))
      throw new Error('roll back')
    })
    await expect(transaction).rejects.toThrow('roll back')
    expect(await readDuringTransaction).toEqual([])
  })

  it('runs inside a transaction when given one', async () => {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('organizations')
        .values({ id: 'org_t', name: 'Inside', created_at: new Date().toISOString() })
        .execute()
      expect(await organizationRows(trx, { name: 'Inside', limit: 10 })).toHaveLength(1)
    })
  })
})

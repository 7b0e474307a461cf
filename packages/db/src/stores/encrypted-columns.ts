import { sql } from 'kysely'
import type { Db } from '../create-db'

/** A column holding ciphertext, and the columns that identify its row. */
export interface EncryptedColumn {
  table: string
  key: readonly string[]
  column: string
}

export type KeyedValue = { value: string } & Record<string, string>

/**
 * Up to `limit` non-empty values of the column, in key order after the `after` key. Table and
 * column names come from the caller's fixed list, never from input.
 */
export async function pageOfValues(
  db: Db,
  spec: EncryptedColumn,
  options: { after: readonly string[] | undefined; limit: number },
): Promise<KeyedValue[]> {
  const keyRefs = sql.join(spec.key.map((name) => sql.ref(name)))
  const page = await sql<KeyedValue>`
    select ${keyRefs}, ${sql.ref(spec.column)} as value from ${sql.table(spec.table)}
    where ${sql.ref(spec.column)} is not null and ${sql.ref(spec.column)} <> ''
    ${options.after ? sql`and (${keyRefs}) > (${sql.join([...options.after])})` : sql``}
    order by ${keyRefs} limit ${options.limit}`.execute(db)
  return page.rows
}

/**
 * Replaces one value if it is still `from` (a concurrent write wins); returns the rows
 * changed, 0 or 1.
 */
export async function replaceValue(
  db: Db,
  spec: EncryptedColumn,
  update: { key: readonly string[]; from: string; to: string },
): Promise<number> {
  const matches = spec.key.map((name, i) => sql`${sql.ref(name)} = ${update.key[i]}`)
  const changed = await sql`
    update ${sql.table(spec.table)} set ${sql.ref(spec.column)} = ${update.to}
    where ${sql.join(matches, sql` and `)} and ${sql.ref(spec.column)} = ${update.from}`.execute(db)
  return Number(changed.numAffectedRows ?? 0n)
}

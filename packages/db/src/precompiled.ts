import type SQLite from 'better-sqlite3'
import { type Compilable, CompiledQuery } from 'kysely'
import type { Db } from './create-db'

/** The SQLite handle (and its statement cache) behind each Db that createDb opened. */
const handles = new WeakMap<Db, DirectHandle>()

export interface DirectHandle {
  sqlite: SQLite.Database
  prepare: (sql: string) => SQLite.Statement
}

export function registerDirectHandle(db: Db, handle: DirectHandle): void {
  handles.set(db, handle)
}

/** Stands in for a parameter while the query is compiled; never reaches SQLite. */
const PLACEHOLDER_PREFIX = '\u0000precompiled-param:'

type Slot = { name: string } | { value: unknown }

export type Placeholder<Params> = <K extends keyof Params & string>(name: K) => Params[K]

/**
 * A query written with Kysely's builder (typed columns, as everywhere else) but built and
 * compiled once, then run as a cached prepared statement. For the hot paths: building and
 * compiling a small select costs more than SQLite running it, and the driver's connection
 * hand-off adds as much again.
 *
 * Outside a transaction the statement runs directly on the connection. Inside one (the
 * connection has an open BEGIN, which may be another request's, between its awaits) it goes
 * through Kysely, which waits for that transaction to end, so no read sees uncommitted rows.
 * A `Transaction` passed as `db` always runs through Kysely, inside it.
 */
export function precompile<Params extends Record<string, unknown>, Row>(
  build: (db: Db, param: Placeholder<Params>) => Compilable<Row>,
): (db: Db, params: Params) => Promise<Row[]> {
  let compiled: { sql: string; slots: Slot[] } | undefined
  const param = ((name: string) => `${PLACEHOLDER_PREFIX}${name}`) as Placeholder<Params>
  return async (db, params) => {
    compiled ??= compileOnce(build(db, param))
    const args = compiled.slots.map((slot) => ('name' in slot ? params[slot.name] : slot.value))
    const handle = handles.get(db)
    if (handle && !handle.sqlite.inTransaction) {
      const statement = handle.prepare(compiled.sql)
      if (!statement.reader) {
        statement.run(args)
        return []
      }
      return statement.all(args) as Row[]
    }
    const result = await db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, args))
    return result.rows
  }
}

function compileOnce(query: Compilable<unknown>): { sql: string; slots: Slot[] } {
  const { sql, parameters } = query.compile()
  const slots = parameters.map(
    (value): Slot =>
      typeof value === 'string' && value.startsWith(PLACEHOLDER_PREFIX)
        ? { name: value.slice(PLACEHOLDER_PREFIX.length) }
        : { value },
  )
  return { sql, slots }
}

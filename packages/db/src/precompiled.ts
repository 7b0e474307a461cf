import type SQLite from 'better-sqlite3'
import { type Compilable, CompiledQuery } from 'kysely'
import type { Db } from './create-db'
import type { WriteLock } from './write-lock'

/** The SQLite handle (and its statement cache) behind each Db that createDb opened. */
const handles = new WeakMap<Db, DirectHandle>()

/** One open database: its connection, the statement cache Kysely's driver shares, its lock. */
export interface DbHandle {
  sqlite: SQLite.Database
  /** The shared statement cache (statements there return objects). */
  prepare: (sql: string) => SQLite.Statement
  /** Transactions that wait for the other process's lock without blocking this one. */
  lock: WriteLock
}

interface DirectHandle extends DbHandle {
  /** What we know of each precompiled SQL, by its text. */
  statements: Map<string, DirectStatement>
}

interface DirectStatement {
  /** Writes nothing: may run outside a transaction. */
  readonly: boolean
  /** Our own raw-mode statement for SQL that returns rows; null for SQL that does not. */
  reader: { statement: SQLite.Statement; columns: string[] } | null
}

export function registerDirectHandle(db: Db, handle: DbHandle): void {
  handles.set(db, { ...handle, statements: new Map() })
}

function directStatement(handle: DirectHandle, sql: string): DirectStatement {
  let known = handle.statements.get(sql)
  if (!known) {
    const statement = handle.sqlite.prepare(sql)
    known = {
      readonly: statement.readonly,
      reader: statement.reader
        ? { statement: statement.raw(true), columns: statement.columns().map((c) => c.name) }
        : null,
    }
    handle.statements.set(sql, known)
  }
  return known
}

/** Stands in for a parameter while the query is compiled; never reaches SQLite. */
const PLACEHOLDER_PREFIX = '\u0000precompiled-param:'

type Slot = { name: string } | { value: unknown }

export type Placeholder<Params> = <K extends keyof Params & string>(name: K) => Params[K]

export interface PrecompiledQuery<Params, Row> {
  (db: Db, params: Params): Promise<Row[]>
  /** Runs it now, inside a `writeTransaction`'s body. */
  inTransaction: (trx: WriteTransaction, params: Params) => Row[]
}

/**
 * The open transaction of a `writeTransaction` body: statements run on the connection at
 * once, in order, with nothing awaited in between.
 */
export interface WriteTransaction {
  /** A query built with Kysely (compiled on each call: for the statements that vary). */
  execute: <Row>(query: Compilable<Row>) => Row[]
}

interface OpenTransaction {
  db: Db
  handle: DirectHandle
  /** False once committed or rolled back: a kept reference runs nothing. */
  open: boolean
}

const transactions = new WeakMap<WriteTransaction, OpenTransaction>()

function openTransaction(trx: WriteTransaction): OpenTransaction {
  const state = transactions.get(trx)
  if (!state?.open) throw new Error('no open writeTransaction: run this inside its body')
  return state
}

/**
 * A short write transaction whose body is synchronous: BEGIN IMMEDIATE (waiting for the
 * other process's lock without blocking this one), the body's statements straight on the
 * connection, COMMIT; ROLLBACK if the body throws. Kysely's connection is held throughout,
 * so none of its queries or transactions interleave, and a synchronous body leaves no
 * moment for anything else of this process to run inside it. For the hot writes (group
 * commits of links and delivery attempts): going through Kysely per statement, with its
 * connection hand-off and awaits, cost about a third of each statement.
 */
export async function writeTransaction<T>(db: Db, body: (trx: WriteTransaction) => T): Promise<T> {
  const handle = handles.get(db)
  if (!handle) throw new Error('writeTransaction needs a Db opened by createDb')
  return db.connection().execute(() =>
    handle.lock.transaction(() => {
      const trx: WriteTransaction = {
        execute: (query) => {
          const { sql, parameters } = query.compile()
          return runDirect(openTransaction(trx).handle, sql, [...parameters]) as never
        },
      }
      const state: OpenTransaction = { db, handle, open: true }
      transactions.set(trx, state)
      try {
        const result = body(trx)
        if (result instanceof Promise) throw new Error('a writeTransaction body must not be async')
        return result
      } finally {
        state.open = false
      }
    }),
  )
}

/**
 * A query written with Kysely's builder (typed columns, as everywhere else) but built and
 * compiled once, then run as a cached prepared statement. For the hot paths: building and
 * compiling a small select costs more than SQLite running it, and the driver's connection
 * hand-off adds as much again.
 *
 * A read outside a transaction runs directly on the connection. Inside one (the connection
 * has an open BEGIN, which may be another request's, between its awaits) it goes through
 * Kysely, which waits for that transaction to end, so no read sees uncommitted rows. Writes
 * and a `Transaction` passed as `db` always go through Kysely; in a `writeTransaction`
 * body, `.inTransaction` runs the statement directly.
 */
export function precompile<Params extends Record<string, unknown>, Row>(
  build: (db: Db, param: Placeholder<Params>) => Compilable<Row>,
): PrecompiledQuery<Params, Row> {
  let compiled: { sql: string; slots: Slot[] } | undefined
  const param = ((name: string) => `${PLACEHOLDER_PREFIX}${name}`) as Placeholder<Params>
  const bind = (db: Db, params: Params) => {
    compiled ??= compileOnce(build(db, param))
    const args = compiled.slots.map((slot) => ('name' in slot ? params[slot.name] : slot.value))
    return { sql: compiled.sql, args }
  }
  const query = async (db: Db, params: Params) => {
    const { sql, args } = bind(db, params)
    const handle = handles.get(db)
    // Writes go through Kysely even here: its driver waits for the other process's lock
    // without blocking, where SQLite's busy handler would sleep inside the call.
    if (handle && !handle.sqlite.inTransaction && directStatement(handle, sql).readonly)
      return runDirect(handle, sql, args) as Row[]
    const result = await db.executeQuery<Row>(CompiledQuery.raw(sql, args))
    return result.rows
  }
  query.inTransaction = (trx: WriteTransaction, params: Params) => {
    const { db, handle } = openTransaction(trx)
    const { sql, args } = bind(db, params)
    return runDirect(handle, sql, args) as Row[]
  }
  return query
}

/**
 * Reads run in raw mode (arrays) and the rows are built here: better-sqlite3 builds row
 * objects through V8's C++ API, which measured 4.6 µs a row for a 24-column link against
 * 1.9 µs this way.
 */
function runDirect(handle: DirectHandle, sql: string, args: unknown[]): unknown[] {
  const { reader } = directStatement(handle, sql)
  if (reader === null) {
    handle.prepare(sql).run(args)
    return []
  }
  const { columns } = reader
  return (reader.statement.all(args) as unknown[][]).map((values) => {
    const row: Record<string, unknown> = {}
    for (let i = 0; i < columns.length; i++) row[columns[i] as string] = values[i]
    return row
  })
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

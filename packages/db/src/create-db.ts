import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
} from 'kysely'
import { type DbHandle, registerDirectHandle } from './precompiled'
import type { Database } from './schema'
import { createWriteLock } from './write-lock'

export type Db = Kysely<Database>

export interface CreateDbOptions {
  /** Path of the SQLite file (`:memory:` for a throwaway database). */
  filename: string
  /** How long a writer waits for the other process's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number
}

/**
 * Opens the shared SQLite file. The API and the webhook worker are two processes on one
 * file, so WAL lets readers run beside the single writer and busy_timeout makes a writer
 * wait its turn instead of failing.
 */
export function openSqlite(options: CreateDbOptions): SQLite.Database {
  if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true })
  const sqlite = new SQLite(options.filename)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs(options)}`)
  return sqlite
}

const busyTimeoutMs = (options: CreateDbOptions) => options.busyTimeoutMs ?? 5000

export function createDb(options: CreateDbOptions): { db: Db; sqlite: SQLite.Database } {
  const sqlite = openSqlite(options)
  const statements = withStatementCache(sqlite)
  const handle: DbHandle = {
    sqlite,
    prepare: statements.prepare,
    lock: createWriteLock(sqlite, busyTimeoutMs(options)),
  }
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: statements }, handle),
  })
  registerDirectHandle(db, handle)
  return { db, sqlite }
}

/**
 * Transactions start with BEGIN IMMEDIATE: they take the write lock up front, waiting up to
 * busy_timeout for the other process (asynchronously: `createWriteLock`). A deferred BEGIN
 * that reads first and then writes fails at once with SQLITE_BUSY when the other process
 * wrote in between, which no wait can fix.
 *
 * A write outside a transaction becomes one as well (BEGIN IMMEDIATE, the statement,
 * COMMIT): as an autocommit statement it would wait for the other process inside SQLite's
 * sleeping busy handler, with this whole process stopped. Reads run as they are: in WAL
 * mode they never wait for a writer.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #handle: DbHandle
  #connection: DatabaseConnection | undefined

  constructor(config: SqliteDialectConfig, handle: DbHandle) {
    super(config)
    this.#handle = handle
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection()
    this.#connection ??= withWritesInTransactions(connection, this.#handle)
    return this.#connection
  }

  override async beginTransaction(): Promise<void> {
    await this.#handle.lock.begin()
  }
}

/** Statements that must not be wrapped in a transaction, or manage one themselves. */
const OUTSIDE_TRANSACTIONS = /^\s*(pragma|vacuum|begin|commit|end|rollback|savepoint|release)\b/i

function withWritesInTransactions(
  connection: DatabaseConnection,
  { sqlite, prepare, lock }: DbHandle,
): DatabaseConnection {
  return {
    executeQuery: <R>(query: CompiledQuery) =>
      sqlite.inTransaction || prepare(query.sql).readonly || OUTSIDE_TRANSACTIONS.test(query.sql)
        ? connection.executeQuery<R>(query)
        : lock.transaction(() => connection.executeQuery<R>(query)),
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig
  readonly #handle: DbHandle

  constructor(config: SqliteDialectConfig, handle: DbHandle) {
    super(config)
    this.#config = config
    this.#handle = handle
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#handle)
  }
}

const STATEMENT_CACHE_SIZE = 500

/**
 * Kysely prepares every query anew, and preparing costs more than running a small query.
 * Our queries are built from a fixed set of shapes with bound parameters, so the SQL text
 * repeats: keep the prepared statements, least recently used out first.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql)
      if (statement) {
        cache.delete(sql)
      } else {
        statement = sqlite.prepare(sql)
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          const oldest = cache.keys().next()
          if (!oldest.done) cache.delete(oldest.value)
        }
      }
      cache.set(sql, statement)
      return statement
    },
  }
}

/** True when the database answers a trivial query (readiness checks). */
export async function pingDb(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db)
    return true
  } catch {
    return false
  }
}

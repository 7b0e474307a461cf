import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import SQLite from 'better-sqlite3'
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
} from 'kysely'
import pg from 'pg'
import type { Database } from './schema'

export type Db = Kysely<Database>

/** Where the data lives: the embedded SQLite file, or a PostgreSQL server to scale out. */
export type DatabaseLocation =
  | { dialect: 'sqlite'; filename: string }
  | { dialect: 'postgres'; url: string }

/**
 * `DATABASE_URL` as an operator writes it: a file path or `file:` URL (SQLite), or a
 * `postgres://` / `postgresql://` URL. Throws an Error whose message says what is wrong.
 */
export function parseDatabaseUrl(value: string): DatabaseLocation {
  const trimmed = value.trim()
  if (trimmed === '') throw new Error('is empty')
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase()
  // A Windows drive letter (`C:\…`) is a path, not a scheme.
  if (!scheme || /^[a-z]:[\\/]/i.test(trimmed)) return { dialect: 'sqlite', filename: trimmed }
  if (scheme === 'file') {
    const filename = trimmed.startsWith('file://')
      ? fileURLToPath(trimmed)
      : trimmed.slice('file:'.length)
    if (filename === '') throw new Error('names no file')
    return { dialect: 'sqlite', filename }
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    let url: URL
    try {
      url = new URL(trimmed)
    } catch {
      throw new Error('is not a valid PostgreSQL URL')
    }
    if (!url.hostname && !url.searchParams.get('host')) throw new Error('names no host')
    return { dialect: 'postgres', url: trimmed }
  }
  throw new Error(
    `has the scheme "${scheme}:"; use a SQLite file path, a file: URL or a postgres:// URL`,
  )
}

export interface CreateDbOptions {
  /** PostgreSQL connections this process may hold (default 10). */
  poolSize?: number
  /** How long a SQLite writer waits for another process's lock (default 5 s). */
  busyTimeoutMs?: number
}

export function createDb(location: DatabaseLocation, options: CreateDbOptions = {}): Db {
  return location.dialect === 'sqlite'
    ? new Kysely<Database>({ dialect: sqliteDialect(location.filename, options) })
    : new Kysely<Database>({ dialect: postgresDialect(location.url, options) })
}

/**
 * One process holds the SQLite file at a time in the embedded mode, but the CLI and
 * `pnpm migrate` may write beside it: WAL lets readers run beside the one writer, and
 * busy_timeout makes a writer wait its turn instead of failing.
 */
function sqliteDialect(filename: string, options: CreateDbOptions) {
  return new ImmediateSqliteDialect({
    database: () => {
      if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true })
      const sqlite = new SQLite(filename)
      sqlite.pragma('journal_mode = WAL')
      sqlite.pragma('synchronous = NORMAL')
      sqlite.pragma('foreign_keys = ON')
      sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
      return Promise.resolve(sqlite)
    },
  })
}

/**
 * Transactions begin with BEGIN IMMEDIATE, taking SQLite's write lock up front: a deferred
 * transaction that reads and then writes fails at once with SQLITE_BUSY when another
 * process wrote in between, and busy_timeout cannot help it.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig

  constructor(config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }
}

/** bigint (count(*), sums) as a JS number: our counts stay far below 2^53. */
const INT8_OID = 20

function postgresDialect(url: string, options: CreateDbOptions) {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  })
  // An idle client's error (the server restarted) must not crash the process; the pool
  // drops the client and the next query opens another.
  pool.on('error', () => {})
  return new PostgresDialect({ pool })
}

/** Throws the driver's error unless the database answers a trivial query. */
export async function assertReachable(db: Db): Promise<void> {
  await sql`select 1`.execute(db)
}

/** SQLite: folds the write-ahead log back into the main file, so a copy of it holds everything. */
export async function checkpointSqlite(db: Db): Promise<void> {
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db)
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

/** A unique or primary-key constraint refused the write, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505'
  )
}

const CONNECTION_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections there',
  ENOTFOUND: 'the host name does not resolve',
  '28P01': 'the server refused the credentials',
  '28000': 'the server refused the credentials',
  '3D000': 'the database does not exist',
}

/** Why the database could not be opened, in words an operator can act on (no password). */
export function describeConnectionFailure(location: DatabaseLocation, error: unknown): string {
  const reason = (error as { message?: string } | null)?.message ?? String(error)
  if (location.dialect === 'sqlite') {
    return `cannot open the SQLite file ${location.filename}: ${reason}`
  }
  const url = new URL(location.url)
  const where = `${url.hostname}:${url.port || '5432'}${url.pathname}`
  const known = CONNECTION_FAILURES[(error as { code?: string } | null)?.code ?? '']
  return `cannot connect to PostgreSQL at ${where}: ${known ? `${known} (${reason})` : reason}`
}

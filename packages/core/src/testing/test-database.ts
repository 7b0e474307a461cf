import { createHash, randomBytes } from 'node:crypto'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  checkpointSqlite,
  createDb,
  type DatabaseLocation,
  type Dialect,
  migrateToLatest,
  migrations,
} from '@onboard/db'
import pg from 'pg'
import type { CoreContext } from '../context'
import { createKeyring } from '../secrets'
import { recordingQueue, type WorkQueue } from '../work-queue'

/** The test databases' ENCRYPTION_KEY (base64), for a second process to open them with. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64')

/**
 * Which database the suite runs on: `TEST_DATABASE=postgres` runs it on the PostgreSQL
 * server at `TEST_POSTGRES_URL` (default the machine's, trust auth), anything else on
 * SQLite files.
 */
export const testDialect: Dialect = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite'

const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** The migrations' code, so an edited migration gets a new template rather than a stale one. */
const migrationsHash = createHash('sha256')
  .update(
    Object.entries(migrations)
      .map(([name, migration]) => `${name}\n${migration.up.toString()}`)
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 12)

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

let sqliteTemplate: Promise<string> | undefined

/** Migrates one SQLite file per test process; every test database is a copy of it. */
function migratedSqliteTemplate(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-template-'))
    const filename = join(dir, 'template.db')
    const db = createDb({ dialect: 'sqlite', filename })
    await migrateToLatest(db)
    // The copy must hold everything: fold the WAL back into the main file first.
    await checkpointSqlite(db)
    await db.destroy()
    return filename
  })()
  return sqliteTemplate
}

let postgresTemplate: Promise<string> | undefined

/**
 * One migrated template database per migrations version, shared by every test process of
 * every run; each test database is `CREATE DATABASE … TEMPLATE` of it, a file copy on the
 * server. An advisory lock makes the processes that start together create it once.
 */
function migratedPostgresTemplate(): Promise<string> {
  postgresTemplate ??= (async () => {
    const name = `onboard_template_${migrationsHash}`
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
    await admin.connect()
    try {
      await admin.query('select pg_advisory_lock(hashtext($1))', [name])
      const exists = await admin.query('select 1 from pg_database where datname = $1', [name])
      if (exists.rowCount === 0) {
        await admin.query(`create database "${name}"`)
        const db = createDb({ dialect: 'postgres', url: withDatabase(POSTGRES_ADMIN_URL, name) })
        try {
          await migrateToLatest(db)
        } catch (error) {
          await db.destroy()
          await admin.query(`drop database "${name}"`)
          throw error
        }
        await db.destroy()
      }
      await admin.query('select pg_advisory_unlock(hashtext($1))', [name])
    } finally {
      await admin.end()
    }
    return name
  })()
  return postgresTemplate
}

interface FreshDatabase {
  location: DatabaseLocation
  /** DATABASE_URL for a child process (the worker, a second API) on the same data. */
  databaseUrl: string
  drop: () => Promise<void>
}

async function freshSqliteDatabase(dir: string): Promise<FreshDatabase> {
  const filename = join(dir, 'onboarding.db')
  copyFileSync(await migratedSqliteTemplate(), filename)
  return { location: { dialect: 'sqlite', filename }, databaseUrl: filename, drop: async () => {} }
}

async function freshPostgresDatabase(): Promise<FreshDatabase> {
  const template = await migratedPostgresTemplate()
  const name = `onboard_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
  await admin.connect()
  try {
    await admin.query(`create database "${name}" template "${template}"`)
  } finally {
    await admin.end()
  }
  const url = withDatabase(POSTGRES_ADMIN_URL, name)
  return {
    location: { dialect: 'postgres', url },
    databaseUrl: url,
    drop: async () => {
      const dropper = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
      await dropper.connect()
      try {
        await dropper.query(`drop database if exists "${name}" with (force)`)
      } finally {
        await dropper.end()
      }
    },
  }
}

export interface TestDatabase {
  core: CoreContext
  dialect: Dialect
  /** DATABASE_URL for a second process (the worker, another API) on the same data. */
  databaseUrl: string
  /** A temporary folder of this test's own, removed on close. */
  dir: string
  /** ENCRYPTION_KEY (base64) of this database's keyring, for a second process. */
  encryptionKey: string
  /** Moves this database's clock; core functions read time only through it. */
  setNow: (date: Date) => void
  close: () => Promise<void>
}

/**
 * A fresh, migrated database for one test (a SQLite file, or a PostgreSQL database with
 * `TEST_DATABASE=postgres`), with a fixed encryption key.
 */
export async function createTestDatabase(
  options: { publicBaseUrl?: string; queue?: WorkQueue } = {},
): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'onboard-test-'))
  const fresh =
    testDialect === 'postgres' ? await freshPostgresDatabase() : await freshSqliteDatabase(dir)
  const db = createDb(fresh.location)
  const queue = options.queue ?? recordingQueue()
  let fixedNow: Date | undefined
  const core: CoreContext = {
    db,
    keyring: createKeyring(Buffer.from(TEST_ENCRYPTION_KEY, 'base64')),
    publicBaseUrl: options.publicBaseUrl ?? 'http://localhost:3000',
    now: () => fixedNow ?? new Date(),
    queue,
  }
  return {
    core,
    dialect: testDialect,
    databaseUrl: fresh.databaseUrl,
    dir,
    encryptionKey: TEST_ENCRYPTION_KEY,
    setNow: (date) => {
      fixedNow = date
    },
    close: async () => {
      await db.destroy()
      await fresh.drop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

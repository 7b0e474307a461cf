import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import pg from 'pg'

export type BenchDialect = 'sqlite' | 'postgres'

/** The server `--db postgres` uses; each bench section gets a database of its own there. */
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface BenchDatabase {
  /** DATABASE_URL for the processes under test. */
  url: string
  drop: () => Promise<void>
}

/** A new, empty database for one bench section: a SQLite file, or a PostgreSQL database. */
export async function benchDatabase(
  dialect: BenchDialect,
  workDir: string,
  name: string,
): Promise<BenchDatabase> {
  if (dialect === 'sqlite') return { url: join(workDir, `${name}.db`), drop: async () => {} }
  const database = `onboard_bench_${name.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`
  await admin(`create database "${database}"`)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${database}`
  return {
    url: url.toString(),
    drop: () => admin(`drop database if exists "${database}" with (force)`),
  }
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

import { type Kysely, PostgresAdapter } from 'kysely'

/** Which database a Kysely instance talks to; for the few statements that differ. */
export type Dialect = 'sqlite' | 'postgres'

// biome-ignore lint/suspicious/noExplicitAny: any Kysely instance, whatever its schema
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

// biome-ignore lint/suspicious/noExplicitAny: see dialectOf
export const isPostgres = (db: Kysely<any>): boolean => dialectOf(db) === 'postgres'

export { type CreateDbOptions, createDb, type Db, openSqlite, pingDb } from './create-db'
export { migrateToLatest } from './migrate'
export { migrations } from './migrations/index'
export * from './schema'

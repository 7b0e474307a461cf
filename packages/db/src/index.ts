export { type BatcherOptions, createBatcher } from './batcher'
export { type CreateDbOptions, createDb, type Db, openSqlite, pingDb } from './create-db'
export { migrateToLatest } from './migrate'
export { migrations } from './migrations/index'
export {
  type Placeholder,
  type PrecompiledQuery,
  precompile,
  type WriteTransaction,
  writeTransaction,
} from './precompiled'
export * from './schema'

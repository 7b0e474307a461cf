export { type BatcherOptions, createBatcher } from './batcher'
export {
  type CreateDbOptions,
  createDb,
  type DatabaseLocation,
  type Db,
  describeConnectionFailure,
  isUniqueViolation,
  parseDatabaseUrl,
  pingDb,
} from './create-db'
export { type Dialect, dialectOf, isPostgres } from './dialect'
export { migrateToLatest } from './migrate'
export { migrations } from './migrations/index'
export * from './schema'
export * from './stores/sandbox'

export {
  assertReachable,
  checkpointSqlite,
  createDb,
  type DatabaseLocation,
  type Db,
  describeConnectionFailure,
  isUniqueViolation,
  parseDatabaseUrl,
  pingDb,
} from './create-db'
export { type Dialect, dialectOf } from './dialect'
export { migrateToLatest } from './migrate'
export { migrations } from './migrations/index'
export * from './schema'
export * as accountsStore from './stores/accounts'
export * as brandingStore from './stores/branding'
export * as consoleStore from './stores/console'
export * as encryptedColumnsStore from './stores/encrypted-columns'
export * as endpointsStore from './stores/endpoints'
export * as eventsStore from './stores/events'
export * as idempotencyStore from './stores/idempotency'
export * as linkActivityStore from './stores/link-activity'
export * as linksStore from './stores/links'
export * as messagesStore from './stores/messages'
export * as metaReceiptsStore from './stores/meta-receipts'
export * as organizationsStore from './stores/organizations'
export * as ownedStore from './stores/owned'
export * as sandboxStore from './stores/sandbox'
export * as sessionsStore from './stores/sessions'

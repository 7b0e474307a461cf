export { findWabaRow, getWaba, getWabaConnection, listWabas } from './read'
export * from './schemas'
export { toConnectedAccount, toWaba } from './serialize'

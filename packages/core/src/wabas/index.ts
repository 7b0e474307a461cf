export * from '../accounts/schemas'
export { toConnectedAccount, toWaba } from '../accounts/serialize'
export { findWabaRow, getWaba, getWabaConnection, listWabas } from './read'

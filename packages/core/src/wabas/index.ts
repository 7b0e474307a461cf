export {
  type ConnectedAccount,
  connectedAccountSchema,
  type GraphLookupError,
  graphLookupErrorSchema,
  type Waba,
  wabaSchema,
} from '../accounts/schemas'
export { findWabaRow, getWaba, getWabaConnection, listWabas } from './read'

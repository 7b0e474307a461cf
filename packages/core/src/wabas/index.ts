export { connectedAccountSchema, wabaSchema } from '../accounts/schemas'
export { getWaba, getWabaConnection, listWabas } from './read'

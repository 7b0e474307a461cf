export { createMetaClient } from './client'
export { isMetaError, MetaError } from './errors'
export type {
  ExchangedToken,
  MetaClient,
  MetaClientOptions,
  MetaPhoneHealth,
  MetaPhoneNumber,
  MetaWaba,
  SentMessage,
} from './types'

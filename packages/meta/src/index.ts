export { createMetaClient } from './client'
export type { GraphErrorInfo, MetaErrorCode } from './errors'
export { isMetaError, MetaError } from './errors'
export { appSecretProof } from './transport'
export type {
  ExchangedToken,
  MetaClient,
  MetaClientOptions,
  MetaHealthEntity,
  MetaMessageTemplate,
  MetaPhoneHealth,
  MetaPhoneNumber,
  MetaSubscribedApp,
  MetaWaba,
  SentMessage,
  TokenDebugInfo,
} from './types'

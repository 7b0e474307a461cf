export {
  EVENT_TYPES,
  type EventEnvelope,
  type EventType,
  isEventType,
  TEST_EVENT_TYPE,
} from './catalog'
export {
  createWebhookAgent,
  postWebhook,
  RESPONSE_EXCERPT_BYTES,
  type SendResult,
  type WebhookAgentOptions,
} from './http'
export {
  MAX_RETRY_AFTER_MS,
  nextRetry,
  parseRetryAfter,
  type RetryDecision,
  withJitter,
} from './schedule'
export { generateWebhookSecret, isStandardSecret, secretKeyBytes } from './secrets'
export { type SignInput, signPayload, type WebhookHeaders, webhookHeaders } from './signing'
export { BlockedTargetError, guardedLookup, isBlockedAddress, isBlockedHost } from './ssrf'

export {
  EVENT_TYPES,
  type EventEnvelope,
  type EventType,
  TEST_EVENT_TYPE,
} from './catalog'
export {
  createWebhookAgent,
  postWebhook,
  type SendResult,
} from './http'
export {
  MAX_RETRY_AFTER_MS,
  nextRetry,
  parseRetryAfter,
  withJitter,
} from './schedule'
export { generateWebhookSecret, isStandardSecret, secretKeyBytes } from './secrets'
export { signPayload, webhookHeaders } from './signing'
export { isBlockedAddress, isBlockedHost } from './ssrf'

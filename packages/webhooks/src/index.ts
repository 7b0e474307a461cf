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
  DEFAULT_QUEUE_PREFIX,
  DELIVERY_JOB,
  DELIVERY_QUEUE,
  type DeliveryJobData,
  deliveryJobOptions,
  deliveryJobSchema,
} from './jobs'
export {
  createDeliveryQueue,
  type DeliveryQueue,
  enqueueAfterCommit,
  type QueueLogger,
} from './queue'
export {
  isRedisConnectionError,
  type OutageLogger,
  redisOutageReporter,
} from './redis-outage'
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

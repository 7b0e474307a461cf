export {
  createDeliveryQueue,
  type DeliveryQueue,
  deliveryQueueOn,
  OUTAGE_CONSEQUENCE,
  type QueueLogger,
} from './delivery-queue'
export {
  DEFAULT_QUEUE_PREFIX,
  DELIVERY_JOB,
  DELIVERY_QUEUE,
  type DeliveryJobData,
  deliveryJobOptions,
  deliveryJobSchema,
  META_RECEIPT_JOB,
  META_RECEIPT_QUEUE,
  type MetaReceiptJobData,
  metaReceiptJobOptions,
  metaReceiptJobSchema,
} from './jobs'
export { RedisNotConnectedError } from './producer'
export {
  isRedisConnectionError,
  type OutageLogger,
  type OutageReporter,
  redisOutageReporter,
} from './redis-outage'
export { createWorkQueue, JOB_STATES, type JobState, type RedisWorkQueue } from './work-queue'

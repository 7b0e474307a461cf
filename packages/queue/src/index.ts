export {
  createDeliveryQueue,
  type DeliveryQueue,
} from './delivery-queue'
export {
  DELIVERY_QUEUE,
  deliveryJobSchema,
  META_RECEIPT_JOB,
  META_RECEIPT_QUEUE,
  metaReceiptJobOptions,
  metaReceiptJobSchema,
} from './jobs'
export {
  isRedisConnectionError,
  type OutageReporter,
  redisOutageReporter,
} from './redis-outage'
export { createWorkQueue, JOB_STATES, type RedisWorkQueue } from './work-queue'

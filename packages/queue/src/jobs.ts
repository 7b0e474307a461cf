import type { JobsOptions } from 'bullmq'
import { z } from 'zod'

/** The BullMQ queue every delivery job goes through. */
export const DELIVERY_QUEUE = 'webhook-deliveries'
export const DELIVERY_JOB = 'deliver'
/** Key prefix in Redis; tests give each run its own so they never see each other's jobs. */
export const DEFAULT_QUEUE_PREFIX = 'onboard'

/**
 * A job carries the delivery id and nothing else: BullMQ stores job data in clear text, so
 * the URL, payload and secret are read from the database when the job runs.
 */
export const deliveryJobSchema = z.object({ deliveryId: z.string().regex(/^msg_[0-9A-Za-z]+$/) })

/**
 * `jobId` is the delivery id, so enqueueing twice (API after commit and the relay) makes
 * one job. Finished jobs are removed at once: the database keeps every attempt, and a
 * removed job frees its id for a replay. Retries on the schedule are not BullMQ attempts
 * (the worker moves the job to delayed itself); `attempts` here only covers a processor
 * crashing on something unexpected, after which the relay takes over.
 */
export function deliveryJobOptions(deliveryId: string): JobsOptions {
  return {
    jobId: deliveryId,
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: true,
    removeOnFail: true,
  }
}

/** The BullMQ queue the API puts each stored Meta webhook receipt on, for the worker. */
export const META_RECEIPT_QUEUE = 'meta-webhook-receipts'
export const META_RECEIPT_JOB = 'process'

/** The job carries the receipt id only; the body is read from the database. */
export const metaReceiptJobSchema = z.object({ receiptId: z.string().regex(/^mwr_[0-9A-Za-z]+$/) })

/**
 * `jobId` = receipt id, so the API and a retry make one job. Processing is idempotent, and a
 * receipt whose job is lost stays pending for the worker's sweeper.
 */
export function metaReceiptJobOptions(receiptId: string): JobsOptions {
  return {
    jobId: receiptId,
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: true,
    removeOnFail: true,
  }
}

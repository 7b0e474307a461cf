import { z } from 'zod'

/** The BullMQ queue the API puts each stored receipt on, for the worker to process. */
export const META_RECEIPT_QUEUE = 'meta-webhook-receipts'
export const META_RECEIPT_JOB = 'process'

/** The job carries the receipt id only; the body is read from the database. */
export const metaReceiptJobSchema = z.object({ receiptId: z.string().regex(/^mwr_[0-9A-Za-z]+$/) })
export type MetaReceiptJobData = z.infer<typeof metaReceiptJobSchema>

/**
 * `jobId` = receipt id, so the API and a retry make one job. Processing is idempotent, and a
 * receipt whose job is lost stays pending for the worker's sweeper.
 */
export function metaReceiptJobOptions(receiptId: string) {
  return {
    jobId: receiptId,
    attempts: 3,
    backoff: { type: 'exponential' as const, delay: 1000 },
    removeOnComplete: true,
    removeOnFail: true,
  }
}

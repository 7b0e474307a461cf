import { metaWebhooks } from '@onboard/core'
import type { DeliveryQueue } from '@onboard/webhooks'
import { Queue } from 'bullmq'
import type { Logger } from 'pino'

/** Redis gets this long to take the job; past it the worker's sweeper will find the receipt. */
const ENQUEUE_TIMEOUT_MS = 1000

/**
 * Puts stored receipts on the worker's queue, over the delivery queue's Redis connection and
 * key prefix (so tests' per-run prefixes hold here too). Never throws: a receipt whose job
 * does not reach Redis stays pending and the worker's sweeper processes it.
 */
export function createReceiptEnqueuer(deliveryQueue: DeliveryQueue) {
  let queue: Queue | undefined
  return async (receiptId: string, logger: Logger): Promise<void> => {
    const { connection } = deliveryQueue.queue.opts
    // While Redis is away BullMQ would wait for it; the sweeper covers this receipt instead.
    if ('status' in connection && connection.status !== 'ready') {
      logger.warn({ receiptId }, 'Redis is not connected; the worker’s sweeper will process it')
      return
    }
    queue ??= openQueue(deliveryQueue, logger)
    const adding = queue.add(
      metaWebhooks.META_RECEIPT_JOB,
      { receiptId },
      metaWebhooks.metaReceiptJobOptions(receiptId),
    )
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('Redis did not answer in time')),
        ENQUEUE_TIMEOUT_MS,
      )
    })
    try {
      await Promise.race([adding, timeout])
    } catch (error) {
      adding.catch(() => undefined)
      logger.warn(
        { receiptId, reason: (error as Error).message },
        'Could not enqueue a Meta webhook receipt; the worker’s sweeper will process it',
      )
    } finally {
      clearTimeout(timer)
    }
  }
}

function openQueue(deliveryQueue: DeliveryQueue, logger: Logger): Queue {
  const { connection, prefix } = deliveryQueue.queue.opts
  const queue = new Queue(metaWebhooks.META_RECEIPT_QUEUE, {
    connection,
    ...(prefix ? { prefix } : {}),
  })
  // The delivery queue already reports Redis outages; without a listener 'error' would crash.
  queue.on('error', (error) => logger.debug({ reason: error.message }, 'receipt queue error'))
  return queue
}

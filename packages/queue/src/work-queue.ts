import type { WorkQueue } from '@onboard/core'
import {
  type DeliveryQueue,
  deliveryQueueOn,
  OUTAGE_CONSEQUENCE,
  type QueueLogger,
} from './delivery-queue'
import { META_RECEIPT_JOB, META_RECEIPT_QUEUE, metaReceiptJobOptions } from './jobs'
import {
  openProducer,
  openProducerConnection,
  RedisNotConnectedError,
  withTimeout,
} from './producer'
import { type OutageReporter, redisOutageReporter } from './redis-outage'

/** Redis gets this long to take a job; past it the relay or the sweeper finds the row. */
const ENQUEUE_TIMEOUT_MS = 2000

/** core's after-commit port on BullMQ, plus what the process itself needs of Redis. */
/** The job states the queues' depths are reported in. */
export const JOB_STATES = ['waiting', 'delayed', 'active', 'failed'] as const
type JobState = (typeof JOB_STATES)[number]

export interface RedisWorkQueue extends WorkQueue {
  /** The delivery producer that throws (the worker's relay counts its failures). */
  deliveryQueue: DeliveryQueue
  /** This process's one outage reporter: watch the process's other Redis connections with it. */
  outage: OutageReporter
  /** Jobs by state in each queue, read now (metrics); undefined while Redis is away. */
  jobCounts: () => Promise<{ queue: string; counts: Record<JobState, number> }[] | undefined>
  /** True when Redis answers a PING now (/readyz); never throws. */
  ping: () => Promise<boolean>
  /** Resolves when the producers can add (or rejects after `timeoutMs`). */
  ready: (timeoutMs?: number) => Promise<void>
  close: () => Promise<void>
}

/**
 * The process's producer side, on one connection: committed deliveries, a person's replay,
 * stored Meta receipts. Never throws: while Redis is away the outage is logged once (not
 * once per call) and the rows wait in the database for the worker's relay and sweeper.
 */
export function createWorkQueue(options: {
  redisUrl: string
  prefix?: string
  logger?: QueueLogger
}): RedisWorkQueue {
  const { logger } = options
  const outage = redisOutageReporter(logger, OUTAGE_CONSEQUENCE)
  const connection = openProducerConnection(options.redisUrl, outage)
  const deliveryQueue = deliveryQueueOn(connection, { prefix: options.prefix, outage })
  const receipts = openProducer({
    name: META_RECEIPT_QUEUE,
    connection,
    prefix: options.prefix,
    outage,
  })

  const handOff = async (work: Record<string, unknown>, add: () => Promise<unknown>) => {
    const adding = add()
    try {
      await withTimeout(adding, ENQUEUE_TIMEOUT_MS)
    } catch (error) {
      adding.catch(() => undefined)
      // The outage line has said it already; a failure while connected is worth its own.
      if (error instanceof RedisNotConnectedError) return
      logger?.warn(
        { ...work, reason: (error as Error).message },
        'Could not queue committed work now; the worker finds it in the database',
      )
    }
  }

  return {
    deliveryQueue,
    outage,
    deliveries: (deliveryIds) =>
      deliveryIds.length === 0
        ? Promise.resolve()
        : handOff({ deliveries: deliveryIds.length }, () => deliveryQueue.enqueue(deliveryIds)),
    deliveryNow: (deliveryId) =>
      handOff({ deliveryId }, () => deliveryQueue.enqueueNow(deliveryId)),
    metaReceipt: (receiptId) =>
      handOff({ receiptId }, async () => {
        receipts.assertConnected()
        await receipts
          .queue()
          .add(META_RECEIPT_JOB, { receiptId }, metaReceiptJobOptions(receiptId))
      }),
    jobCounts: async () => {
      if (connection.status !== 'ready') return undefined
      const queues = [deliveryQueue.queue, receipts.queue()]
      try {
        const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...JOB_STATES)))
        return queues.map((queue, index) => ({
          queue: queue.name,
          counts: counts[index] as Record<JobState, number>,
        }))
      } catch {
        return undefined
      }
    },
    ping: deliveryQueue.ping,
    ready: async (timeoutMs) => {
      await deliveryQueue.ready(timeoutMs)
      await withTimeout(receipts.queue().waitUntilReady(), timeoutMs ?? 5000)
    },
    close: async () => {
      // BullMQ's close waits for a connection that may never come: drop it first if down.
      if (connection.status !== 'ready') connection.disconnect()
      await deliveryQueue.close()
      await receipts.close()
      connection.disconnect()
    },
  }
}

import type { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { DELIVERY_JOB, DELIVERY_QUEUE, deliveryJobOptions } from './jobs'
import { openProducer, openProducerConnection, withTimeout } from './producer'
import { type OutageLogger, type OutageReporter, redisOutageReporter } from './redis-outage'

/** The minimal logger the producer needs (pino fits). */
export type QueueLogger = OutageLogger

/** What a process says while Redis is away: nothing is lost, the database holds the work. */
export const OUTAGE_CONSEQUENCE =
  'committed work waits in the database and is queued once Redis is back'

export interface DeliveryQueue {
  /** Adds one job per delivery id; rejects at once when Redis is down. */
  enqueue: (deliveryIds: readonly string[]) => Promise<void>
  /** Like enqueue, but a job already waiting out a retry delay is run now. */
  enqueueNow: (deliveryId: string) => Promise<void>
  /** True while Redis is connected. */
  connected: () => boolean
  /** True when Redis answers a PING now (readiness checks); never throws. */
  ping: () => Promise<boolean>
  /** Resolves when the queue is ready (or rejects after `timeoutMs`). */
  ready: (timeoutMs?: number) => Promise<void>
  close: () => Promise<void>
  /** The BullMQ queue (tests read jobs through it). */
  readonly queue: Queue
}

/** The delivery producer on its own connection (the relay's, tests', benchmarks'). */
export function createDeliveryQueue(options: {
  redisUrl: string
  prefix?: string
  logger?: QueueLogger
}): DeliveryQueue {
  const outage = redisOutageReporter(options.logger, OUTAGE_CONSEQUENCE)
  const connection = openProducerConnection(options.redisUrl, outage)
  const queue = deliveryQueueOn(connection, { prefix: options.prefix, outage })
  return {
    ...queue,
    get queue() {
      return queue.queue
    },
    close: async () => {
      // BullMQ's close waits for a connection that may never come: drop it first if down.
      if (connection.status !== 'ready') connection.disconnect()
      await queue.close()
      connection.disconnect()
    },
  }
}

/** The delivery producer on a connection owned by the caller (close leaves it open). */
export function deliveryQueueOn(
  connection: Redis,
  options: { prefix?: string; outage: OutageReporter },
): DeliveryQueue {
  const producer = openProducer({
    name: DELIVERY_QUEUE,
    connection,
    prefix: options.prefix,
    outage: options.outage,
  })
  return {
    get queue() {
      return producer.queue()
    },
    enqueue: async (deliveryIds) => {
      if (deliveryIds.length === 0) return
      producer.assertConnected()
      await producer.queue().addBulk(
        deliveryIds.map((deliveryId) => ({
          name: DELIVERY_JOB,
          data: { deliveryId },
          opts: deliveryJobOptions(deliveryId),
        })),
      )
    },
    enqueueNow: async (deliveryId) => {
      producer.assertConnected()
      const queue = producer.queue()
      const job = await queue.getJob(deliveryId)
      if (job && (await job.isDelayed())) {
        await job.promote()
        return
      }
      await queue.add(DELIVERY_JOB, { deliveryId }, deliveryJobOptions(deliveryId))
    },
    ready: (timeoutMs = 5000) =>
      withTimeout(
        producer
          .queue()
          .waitUntilReady()
          .then(() => undefined),
        timeoutMs,
      ),
    connected: () => connection.status === 'ready',
    ping: async () => {
      try {
        return (await connection.ping()) === 'PONG'
      } catch {
        return false
      }
    },
    close: () => producer.close(),
  }
}

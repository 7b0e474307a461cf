import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { DEFAULT_QUEUE_PREFIX, DELIVERY_JOB, DELIVERY_QUEUE, deliveryJobOptions } from './jobs'
import { type OutageLogger, redisOutageReporter } from './redis-outage'

/** The minimal logger the producer needs (pino fits). */
export type QueueLogger = OutageLogger

export interface DeliveryQueue {
  /** Adds one job per delivery id; rejects at once when Redis is down. */
  enqueue: (deliveryIds: readonly string[]) => Promise<void>
  /** Like enqueue, but a job already waiting out a retry delay is run now. */
  enqueueNow: (deliveryId: string) => Promise<void>
  /** True while Redis is connected. */
  connected: () => boolean
  /** True when Redis answers a PING now (readiness checks); never throws. */
  ping: () => Promise<boolean>
  /** Resolves when the connection is ready (or rejects after `timeoutMs`). */
  ready: (timeoutMs?: number) => Promise<void>
  close: () => Promise<void>
  readonly queue: Queue
}

/**
 * The producer side. `enableOfflineQueue: false` makes every command fail fast while Redis
 * is away instead of piling up in memory: the outbox rows keep the work and the worker's
 * relay enqueues it once Redis is back.
 */
export function createDeliveryQueue(options: {
  redisUrl: string
  prefix?: string
  logger?: QueueLogger
}): DeliveryQueue {
  const connection = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 500, 5000),
  })
  const queue = new Queue(DELIVERY_QUEUE, {
    prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
    connection,
  })
  // Without a listener an emitted 'error' would crash the process; say it once per outage.
  const outage = redisOutageReporter(
    options.logger,
    'deliveries stay in the outbox until it is back',
  )
  queue.on('error', outage.down)
  connection.on('error', outage.down)
  connection.on('ready', outage.up)

  return {
    queue,
    enqueue: async (deliveryIds) => {
      if (deliveryIds.length === 0) return
      // BullMQ would wait for the connection; failing now lets the caller move on.
      if (connection.status !== 'ready')
        throw new Error(`Redis is not connected (${connection.status})`)
      await queue.addBulk(
        deliveryIds.map((deliveryId) => ({
          name: DELIVERY_JOB,
          data: { deliveryId },
          opts: deliveryJobOptions(deliveryId),
        })),
      )
    },
    enqueueNow: async (deliveryId) => {
      if (connection.status !== 'ready')
        throw new Error(`Redis is not connected (${connection.status})`)
      const job = await queue.getJob(deliveryId)
      if (job && (await job.isDelayed())) {
        await job.promote()
        return
      }
      await queue.add(DELIVERY_JOB, { deliveryId }, deliveryJobOptions(deliveryId))
    },
    ready: (timeoutMs = 5000) =>
      withTimeout(
        queue.waitUntilReady().then(() => undefined),
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
    close: async () => {
      // BullMQ's close waits for a connection that may never come: drop it first if down.
      if (connection.status !== 'ready') connection.disconnect()
      await withTimeout(queue.close(), 2000).catch(() => undefined)
      connection.disconnect()
    },
  }
}

/**
 * Enqueues deliveries after their transaction committed. Never throws and never waits
 * long: if Redis is down or slow, the rows stay pending and the relay enqueues them.
 */
export async function enqueueAfterCommit(
  queue: DeliveryQueue,
  deliveryIds: readonly string[],
  logger?: QueueLogger,
  timeoutMs = 2000,
): Promise<void> {
  if (deliveryIds.length === 0) return
  try {
    await withTimeout(queue.enqueue(deliveryIds), timeoutMs)
  } catch (error) {
    logger?.warn(
      { deliveries: deliveryIds.length, reason: (error as Error).message },
      'Could not enqueue deliveries now; the relay will enqueue them',
    )
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

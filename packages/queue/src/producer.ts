import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { DEFAULT_QUEUE_PREFIX } from './jobs'
import type { OutageReporter } from './redis-outage'

/**
 * The connection producers add jobs over. `enableOfflineQueue: false` makes every command
 * fail fast while Redis is away instead of piling up in memory: the database keeps the work
 * (outbox deliveries, pending receipts) and the worker's relay and sweeper queue it once
 * Redis is back.
 */
export function openProducerConnection(redisUrl: string, outage: OutageReporter): Redis {
  const connection = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 500, 5000),
  })
  // Also the listener without which an emitted 'error' would crash the process.
  outage.watch(connection)
  return connection
}

export class RedisNotConnectedError extends Error {
  constructor(status: string) {
    super(`Redis is not connected (${status})`)
    this.name = 'RedisNotConnectedError'
  }
}

/** A BullMQ Queue on a shared producer connection that recovers from a failed start-up. */
export interface Producer {
  /** The Queue to use now (a new one if the last one's start-up failed). */
  queue: () => Queue
  /** Throws at once unless the connection is ready: BullMQ would wait for it instead. */
  assertConnected: () => void
  close: () => Promise<void>
}

/**
 * BullMQ starts a Queue once: it waits for the connection to be ready, then asks Redis for
 * its version (INFO). If Redis goes away between the two, that start-up rejects (with
 * `maxRetriesPerRequest: 1` the INFO is dropped after a failed reconnect), and BullMQ keeps
 * the rejected start-up for the Queue's lifetime: every later command fails with it, even
 * once the connection is ready again. So a Queue whose start-up failed is replaced by a new
 * one on the same connection the next time it is needed.
 */
export function openProducer(options: {
  name: string
  connection: Redis
  prefix?: string
  outage: OutageReporter
}): Producer {
  const { connection } = options
  let broken = false
  const open = () => {
    const queue = new Queue(options.name, {
      prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
      connection,
    })
    queue.on('error', (error) => options.outage.down(error, connection))
    broken = false
    queue.waitUntilReady().catch(() => {
      if (current === queue) broken = true
    })
    return queue
  }
  let current = open()
  return {
    assertConnected: () => {
      if (connection.status !== 'ready') throw new RedisNotConnectedError(connection.status)
    },
    queue: () => {
      if (broken && connection.status === 'ready') {
        const failed = current
        current = open()
        // Shares the connection, so closing it only detaches its listeners.
        failed.close().catch(() => undefined)
      }
      return current
    },
    close: async () => {
      // BullMQ's close waits for a connection that may never come: bounded.
      await withTimeout(current.close(), 2000).catch(() => undefined)
    },
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
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

import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { createDeliveryQueue, DELIVERY_QUEUE, type DeliveryQueue } from '../src/index'
import { type RedisServer, startRedisServer } from '../src/testing'
import { waitFor } from './support/wait'

describe('a producer whose Redis dies during its start-up', () => {
  let redis: RedisServer | undefined
  let queue: DeliveryQueue | undefined
  afterEach(async () => {
    await queue?.close()
    await redis?.stop()
  })

  it('adds jobs again once Redis is back', async () => {
    redis = await startRedisServer()
    const prefix = `test-${randomUUID()}`
    const lines: string[] = []
    queue = createDeliveryQueue({
      redisUrl: redis.url,
      prefix,
      logger: { warn: (_d, m) => lines.push(m), info: (_d, m) => lines.push(m) },
    })
    const connection = queue.queue.opts.connection as Redis
    // Killed the moment the connection is ready: BullMQ's start-up then asks the dead server
    // for its version, and that start-up fails.
    const server = redis
    connection.once('ready', () => server.killNow())
    await expect(queue.queue.waitUntilReady()).rejects.toThrow()

    await redis.start()
    await waitFor('the connection to be ready again', () => queue?.connected() === true, 10_000)
    await queue.enqueue(['msg_a'])

    const inspector = new Redis(redis.url)
    try {
      expect(await inspector.exists(`${prefix}:${DELIVERY_QUEUE}:msg_a`)).toBe(1)
    } finally {
      inspector.disconnect()
    }
    expect(lines).toEqual([
      expect.stringMatching(/^Redis is not reachable/),
      'Redis is reachable again',
    ])
  })
})

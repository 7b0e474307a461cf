import { randomUUID } from 'node:crypto'
import { Queue } from 'bullmq'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createWorkQueue,
  DELIVERY_QUEUE,
  isRedisConnectionError,
  META_RECEIPT_QUEUE,
  type RedisWorkQueue,
  redisOutageReporter,
} from '../src/index'
import { settlesWithin, waitFor } from './support/wait'

const REDIS_URL = 'redis://127.0.0.1:6379'

describe('the WorkQueue on BullMQ', () => {
  const opened: RedisWorkQueue[] = []
  const readers: Queue[] = []
  afterEach(async () => {
    for (const reader of readers.splice(0)) {
      await reader.obliterate({ force: true }).catch(() => undefined)
      await reader.close()
    }
    for (const queue of opened.splice(0)) await queue.close()
  })

  function reader(name: string, prefix: string) {
    const queue = new Queue(name, { connection: { url: REDIS_URL }, prefix })
    readers.push(queue)
    return queue
  }

  it('queues committed deliveries and stored receipts under their ids', async () => {
    const prefix = `test-${randomUUID()}`
    const work = createWorkQueue({ redisUrl: REDIS_URL, prefix })
    opened.push(work)
    await work.ready()
    await work.deliveries(['msg_a', 'msg_b'])
    await work.metaReceipt('mwr_a')
    const deliveries = await reader(DELIVERY_QUEUE, prefix).getJobs(['waiting'])
    expect(deliveries.map((job) => job.id).sort()).toEqual(['msg_a', 'msg_b'])
    const receipts = await reader(META_RECEIPT_QUEUE, prefix).getJobs(['waiting'])
    expect(receipts.map((job) => [job.id, job.data])).toEqual([['mwr_a', { receiptId: 'mwr_a' }]])
  })

  it('deliveryNow runs a delivery waiting out a retry delay now', async () => {
    const prefix = `test-${randomUUID()}`
    const work = createWorkQueue({ redisUrl: REDIS_URL, prefix })
    opened.push(work)
    await work.ready()
    const deliveries = reader(DELIVERY_QUEUE, prefix)
    await deliveries.add('deliver', { deliveryId: 'msg_a' }, { jobId: 'msg_a', delay: 60_000 })
    await work.deliveryNow('msg_a')
    expect(await (await deliveries.getJob('msg_a'))?.getState()).toBe('waiting')
  })

  it('never throws while Redis is unreachable, and logs the outage once', async () => {
    const warnings: string[] = []
    const work = createWorkQueue({
      redisUrl: 'redis://127.0.0.1:1',
      prefix: `test-${randomUUID()}`,
      logger: { warn: (_d, m) => warnings.push(m), info: () => undefined },
    })
    opened.push(work)
    // Each call returns without waiting for a reconnect (bounded, so a hang fails here).
    await settlesWithin('deliveries', work.deliveries(['msg_a']), 3000)
    await settlesWithin('deliveryNow', work.deliveryNow('msg_a'), 3000)
    await settlesWithin('metaReceipt', work.metaReceipt('mwr_a'), 3000)
    await waitFor('the outage to be reported', () => warnings.length > 0, 5000)
    // Failures after the report (of the calls and of the reconnects meanwhile) add no line.
    await settlesWithin('deliveries', work.deliveries(['msg_b']), 3000)
    expect(await work.ping()).toBe(false)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^Redis is not reachable \(ECONNREFUSED\)/)
    expect(await work.ping()).toBe(false)
  })
})

describe('redisOutageReporter', () => {
  it('reports one outage across connections, over when every one of them is back', () => {
    vi.useFakeTimers()
    try {
      const lines: string[] = []
      const outage = redisOutageReporter(
        { warn: (_d, m) => lines.push(m), info: (_d, m) => lines.push(m) },
        'work waits',
      )
      const [a, b] = [{}, {}]
      const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
      outage.down(refused, a)
      outage.down(refused, b)
      vi.advanceTimersByTime(1000)
      outage.down(refused, a)
      outage.up(a)
      expect(lines).toEqual(['Redis is not reachable (ECONNREFUSED); work waits'])
      outage.up(b)
      outage.up(b)
      expect(lines).toEqual([
        'Redis is not reachable (ECONNREFUSED); work waits',
        'Redis is reachable again',
      ])
    } finally {
      vi.useRealTimers()
    }
  })

  it('says nothing of a failure that is over within the grace (a stale socket right after recovery)', () => {
    vi.useFakeTimers()
    try {
      const lines: string[] = []
      const outage = redisOutageReporter(
        { warn: (_d, m) => lines.push(m), info: (_d, m) => lines.push(m) },
        'work waits',
      )
      const connection = {}
      const broken = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })
      outage.down(broken, connection)
      vi.advanceTimersByTime(500)
      outage.up(connection)
      vi.advanceTimersByTime(2000)
      expect(lines).toEqual([])
    } finally {
      vi.useRealTimers()
    }
  })

  it('takes a broken pipe for a connection failure', () => {
    expect(isRedisConnectionError(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBe(
      true,
    )
    expect(isRedisConnectionError(new Error('ERR unknown command'))).toBe(false)
  })
})

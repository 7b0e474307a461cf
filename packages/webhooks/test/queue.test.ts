import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createDeliveryQueue, type DeliveryQueue, enqueueAfterCommit } from '../src/index'

describe('delivery queue producer', () => {
  const opened: DeliveryQueue[] = []
  afterEach(async () => {
    for (const queue of opened.splice(0)) {
      await queue.queue.obliterate({ force: true }).catch(() => undefined)
      await queue.close()
    }
  })

  it('adds one job per delivery id, deduplicated by jobId, carrying only the id', async () => {
    const queue = createDeliveryQueue({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: `test-${randomUUID()}`,
    })
    opened.push(queue)
    await queue.ready()
    await queue.enqueue(['msg_a', 'msg_b'])
    await queue.enqueue(['msg_a'])
    const jobs = await queue.queue.getJobs(['waiting'])
    expect(jobs.map((j) => j.id).sort()).toEqual(['msg_a', 'msg_b'])
    expect(jobs.map((j) => j.data)).toContainEqual({ deliveryId: 'msg_a' })
  })

  it('fails fast when Redis is unreachable, and enqueueAfterCommit never throws', async () => {
    const queue = createDeliveryQueue({
      redisUrl: 'redis://127.0.0.1:1',
      prefix: `test-${randomUUID()}`,
    })
    const started = Date.now()
    await expect(queue.enqueue(['msg_a'])).rejects.toThrow()
    const warnings: string[] = []
    await enqueueAfterCommit(queue, ['msg_a'], {
      warn: (_d, m) => warnings.push(m),
      info: () => undefined,
    })
    expect(warnings).toHaveLength(1)
    expect(Date.now() - started).toBeLessThan(5000)
    await queue.close()
  })
})

import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createDeliveryQueue, type DeliveryQueue } from '../src/index'
import { settlesWithin, waitFor } from './support/wait'

describe('delivery queue producer', () => {
  const opened: DeliveryQueue[] = []
  afterEach(async () => {
    for (const queue of opened.splice(0)) {
      if (queue.connected()) await queue.queue.obliterate({ force: true }).catch(() => undefined)
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

  it('fails fast when Redis is unreachable, and says so once', async () => {
    const warnings: string[] = []
    const queue = createDeliveryQueue({
      redisUrl: 'redis://127.0.0.1:1',
      prefix: `test-${randomUUID()}`,
      logger: { warn: (_d, m) => warnings.push(m), info: () => undefined },
    })
    opened.push(queue)
    // Each refusal comes without waiting for a reconnect (bounded, so a hang fails here).
    await expect(settlesWithin('enqueue', queue.enqueue(['msg_a']), 1000)).rejects.toThrow(
      /not connected/,
    )
    await expect(settlesWithin('enqueueNow', queue.enqueueNow('msg_a'), 1000)).rejects.toThrow(
      /not connected/,
    )
    const outage = () => warnings.filter((m) => m.startsWith('Redis is not reachable'))
    await waitFor('the outage to be reported', () => outage().length > 0, 5000)
    // A refusal after the report adds no line.
    await expect(queue.enqueue(['msg_b'])).rejects.toThrow(/not connected/)
    expect(outage()).toHaveLength(1)
  })
})

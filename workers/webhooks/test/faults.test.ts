import { recordEvent } from '@onboard/core'
import { afterEach, describe, expect, it } from 'vitest'
import { listenAsDeadRedis } from './support/dead-redis'
import { type Fixture, startFixture } from './support/fixture'
import {
  type RedisServer,
  spawnWorker,
  startRedisServer,
  type WorkerProcess,
} from './support/processes'
import { type Receiver, settlesWithin, startReceiver, waitFor } from './support/receiver'

/**
 * Faults, each on its own redis-server (so stopping it touches nothing else) and with the
 * real worker entry as a child process. Every wait is bounded.
 */
describe('faults lose nothing', () => {
  let redis: RedisServer | undefined
  let fixture: Fixture | undefined
  let hook: Receiver | undefined
  const workers: WorkerProcess[] = []
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.kill('SIGKILL')
    await fixture?.close()
    await hook?.close()
    await redis?.stop()
    fixture = undefined
    hook = undefined
    redis = undefined
  })

  async function setUp(env: Record<string, string> = {}) {
    redis = await startRedisServer()
    fixture = await startFixture({ redisUrl: redis.url, inProcessWorker: false, env })
    return fixture
  }

  async function worker(extraEnv: Record<string, string> = {}) {
    const started = await spawnWorker({ ...(fixture as Fixture).workerEnv, ...extraEnv })
    workers.push(started)
    return started
  }

  const statuses = async (endpointId: string) =>
    (await (fixture as Fixture).deliveries(endpointId)).map((d) => d.status)

  it('an event recorded while Redis is down is delivered once Redis is back', async () => {
    const f = await setUp()
    hook = await startReceiver()
    const endpoint = await f.endpoint({ url: hook.url })
    const running = await worker()
    await redis?.stop()
    // Redis's port, down, but with its reconnect attempts counted.
    const down = await listenAsDeadRedis(Number(new URL(redis?.url ?? '').port))

    // What a link completion does: commit the event, then enqueue — which fails fast
    // (bounded here, so a wait for a reconnect fails the test).
    const [id] = await settlesWithin(
      'recording the event',
      f.emit('phone_number.connected', { phoneNumber: '+5491155551234' }),
      3000,
    )
    expect(await statuses(endpoint.id)).toEqual(['pending'])

    // Several reconnects fail meanwhile; the worker says so once.
    const outage = () => running.output.filter((line) => line.includes('Redis is not reachable'))
    await waitFor('the worker to report the outage', () => outage().length > 0, 10_000)
    const reported = down.attempts()
    await waitFor('more reconnect attempts', () => down.attempts() >= reported + 2, 20_000)
    await down.close()
    await redis?.start()
    await waitFor(
      'the delivery after Redis returned',
      async () => (await statuses(endpoint.id)).includes('delivered'),
      20_000,
    )
    expect(hook.requests.map((r) => r.webhookId)).toEqual([id])
    expect(outage()).toHaveLength(1)
    expect(running.output.some((line) => line.includes('Redis is reachable again'))).toBe(true)
  })

  it('a worker killed mid-delivery leaves the job to be delivered after a restart', async () => {
    const f = await setUp()
    let first = true
    hook = await startReceiver(() => {
      // The first request hangs until the worker is gone; later ones succeed.
      if (first) {
        first = false
        return { status: 200, delayMs: 60_000 }
      }
      return { status: 200 }
    })
    const endpoint = await f.endpoint({ url: hook.url })
    const doomed = await worker()
    const [id] = await f.emit('phone_number.connected')
    await waitFor('the request to be in flight', () => hook?.requests.length === 1)
    expect(await doomed.kill('SIGKILL')).toBeNull()

    await worker()
    await waitFor(
      'the delivery after restart',
      async () => (await statuses(endpoint.id)).includes('delivered'),
      20_000,
    )
    const ids = new Set(hook.requests.map((r) => r.webhookId))
    expect([...ids]).toEqual([id])
    expect(hook.requests.length).toBeGreaterThanOrEqual(2)
  })

  it('SIGTERM drains the delivery in flight, then exits 0', async () => {
    const f = await setUp()
    hook = await startReceiver(() => ({ status: 200, delayMs: 800 }))
    const endpoint = await f.endpoint({ url: hook.url })
    const running = await worker()
    await f.emit('phone_number.connected')
    await waitFor('the request to be in flight', () => hook?.requests.length === 1)
    expect(await running.kill('SIGTERM')).toBe(0)
    expect(await statuses(endpoint.id)).toEqual(['delivered'])
  })

  it('1,000 events to a receiver failing 30 % of requests are all delivered', async () => {
    const f = await setUp({ WEBHOOK_RETRY_DELAYS: Array(12).fill('50ms').join(',') })
    // A fixed 30 % of requests fail (3 in every 10), spread over the run.
    let n = 0
    hook = await startReceiver(() => ((n++ * 7) % 10 < 3 ? { status: 500 } : { status: 200 }))
    const endpoint = await f.endpoint({ url: hook.url, events: ['message.received'] })
    await worker()
    const deliveryIds: string[] = []
    for (let batch = 0; batch < 10; batch++) {
      const ids = await f.core.db.transaction().execute(async (trx) => {
        const out: string[] = []
        for (let i = 0; i < 100; i++) {
          const data = { n: batch * 100 + i }
          const recorded = await recordEvent(trx, {
            tenant: f.tenant,
            type: 'message.received',
            data,
          })
          out.push(...recorded.deliveryIds)
        }
        return out
      })
      deliveryIds.push(...ids)
      await f.core.queue.deliveries(ids)
    }
    expect(deliveryIds).toHaveLength(1000)

    const delivered = async () => {
      const row = await f.core.db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('endpoint_id', '=', endpoint.id)
        .where('status', '=', 'delivered')
        .executeTakeFirstOrThrow()
      return Number(row.n)
    }
    await waitFor('1,000 deliveries', async () => (await delivered()) === 1000, 90_000)

    const accepted = hook.requests.filter((r) => r.status === 200)
    expect(new Set(accepted.map((r) => r.webhookId))).toEqual(new Set(deliveryIds))
    // Duplicates only ever repeat one webhook-id with one body: never a new id for an event.
    const bodyById = new Map<string, string>()
    const idByEvent = new Map<number, string>()
    for (const request of hook.requests) {
      expect(bodyById.get(request.webhookId) ?? request.body).toBe(request.body)
      bodyById.set(request.webhookId, request.body)
      const event = JSON.parse(request.body).data.n as number
      expect(idByEvent.get(event) ?? request.webhookId).toBe(request.webhookId)
      idByEvent.set(event, request.webhookId)
    }
    expect(idByEvent.size).toBe(1000)
    const failedRequests = hook.requests.filter((r) => r.status === 500).length
    const attempts = await f.core.db
      .selectFrom('webhook_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    // The database recorded every attempt the receiver answered.
    expect(Number(attempts.n)).toBe(hook.requests.length)
    expect(failedRequests).toBeGreaterThan(200)
    // Bounded by the 90 s wait above, not by the project's default test timeout.
  }, 120_000)
})

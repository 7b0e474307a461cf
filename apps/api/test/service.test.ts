import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startReceiver, waitFor } from '../../../workers/webhooks/test/support/receiver'
import { freePort, type RunningProcess, runEntry } from './support/processes'
import { readData } from './support/responses'

/**
 * Whether a process with this pid still runs. Signal 0 only checks that it exists; an orphan
 * that exited stays a zombie until its new parent reaps it (which a container's init may never
 * do), so on Linux a `Z` state counts as gone.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

/** Every pid the supervisor reported for `name`, in start order. */
function startedPids(service: RunningProcess, name: string): number[] {
  const pattern = new RegExp(`supervisor: ${name} started \\(pid (\\d+)\\)`, 'g')
  return [...service.output().matchAll(pattern)].map((match) => Number(match[1]))
}

/** The pid of the `run`-th start (0 = first) of `name`; fails the test when it has none. */
function pidOf(service: RunningProcess, name: string, run: number): number {
  const pid = startedPids(service, name)[run]
  if (pid === undefined) throw new Error(`no start #${run + 1} of ${name} in:\n${service.output()}`)
  return pid
}

describe('the service script (./scripts/start)', () => {
  const started: RunningProcess[] = []
  const cleanups: (() => unknown)[] = []
  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.stop()))
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  it('runs the API and the worker in one supervised process: SIGKILLed, it is restarted, serves again and delivers what was in flight', async () => {
    // The first attempt hangs, so the delivery is in flight when the process dies.
    const receiver = await startReceiver((_request, index) =>
      index === 0 ? { status: 200, delayMs: 60_000 } : { status: 200 },
    )
    cleanups.push(() => receiver.close())
    const { service, base, post, linkBody } = await startService({
      // A killed process's job is taken again once its lock lapses and a stalled check runs.
      WEBHOOK_WORKER_LOCK_DURATION: '2s',
      WEBHOOK_WORKER_STALLED_INTERVAL: '1s',
    })
    // One process holds both roles (one writer on the SQLite file).
    expect(startedPids(service, 'service')).toHaveLength(1)
    expect(service.output()).not.toMatch(/supervisor: (api|worker) started/)
    const first = pidOf(service, 'service', 0)

    const endpoint = await post('/v1/outgoing-webhooks', {
      url: receiver.url,
      events: ['phone_number.connected'],
    })
    expect(endpoint.status).toBe(201)
    const test = await post(
      `/v1/outgoing-webhooks/${(await readData(endpoint, 'endpoint')).id}/test`,
      {},
    )
    expect(test.status).toBe(202)
    await waitFor('the delivery to be in flight', () => receiver.requests.length === 1)

    process.kill(first, 'SIGKILL')
    await service.waitFor(
      new RegExp(`supervisor: service \\(pid ${first}\\) was killed by SIGKILL; restarting in 1 s`),
    )
    await waitFor('the restarted service', async () =>
      fetch(`${base}/healthz`).then(
        (res) => res.status === 200,
        () => false,
      ),
    )
    const second = pidOf(service, 'service', 1)
    expect(second).not.toBe(first)
    expect((await post('/v1/onboarding-links', JSON.parse(linkBody))).status).toBe(201)
    // The delivery the dead process had in flight is sent again, under the same webhook-id.
    await waitFor('the redelivery', () => receiver.requests.length === 2, 30_000)
    expect(receiver.requests[1]?.webhookId).toBe(receiver.requests[0]?.webhookId)

    // One /metrics shows both roles: the API's requests and the worker's deliveries and queues.
    await waitFor('the delivered outcome in /metrics', async () =>
      /onboard_webhook_delivery_attempts_total\{outcome="delivered"\} 1/.test(
        await (await fetch(`${base}/metrics`)).text(),
      ),
    )
    const metrics = await (await fetch(`${base}/metrics`)).text()
    expect(metrics).toMatch(
      /onboard_http_request_duration_seconds_count\{method="POST",route="\/v1\/onboarding-links",status="201"\} 1/,
    )
    expect(metrics).toMatch(/onboard_queue_jobs\{queue="webhook-deliveries",state="waiting"\} \d+/)
    expect(metrics).toMatch(/onboard_webhook_relay_last_tick_timestamp_seconds \d/)

    // SIGTERM the supervisor: the process stops, nothing is restarted, the script exits 0.
    service.child.kill('SIGTERM')
    expect(await service.exited).toBe(0)
    expect(isAlive(second)).toBe(false)
    expect(startedPids(service, 'service')).toHaveLength(2)
  }, 120_000)

  /** The service on a fresh database and a free port, its children killed whatever happens. */
  async function startService(env: Record<string, string> = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'service-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const port = await freePort()
    const service = runEntry('scripts/run-service.ts', [], {
      PORT: String(port),
      DATABASE_URL: join(dir, 'onboarding.db'),
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_QUEUE_PREFIX: `service-test-${randomUUID()}`,
      WEBHOOK_RELAY_INTERVAL: '300ms',
      ...env,
    })
    started.push(service)
    cleanups.push(() => {
      for (const pid of startedPids(service, 'service')) {
        if (isAlive(pid)) process.kill(pid, 'SIGKILL')
      }
    })
    await service.waitFor(/API listening/, 60_000)
    await service.waitFor(/webhook worker started/)
    const key = service.output().match(/Bearer (sk_org_test_\w+)/)?.[1]
    const linkBody = service.output().match(/-d '(\{.*\})'/)?.[1] ?? '{}'
    const base = `http://127.0.0.1:${port}`
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    return { service, base, post, linkBody }
  }

  it('takes its child down when it is itself SIGKILLed, freeing the port', async () => {
    const { service, base } = await startService()
    const child = pidOf(service, 'service', 0)
    service.child.kill('SIGKILL')
    await service.exited
    await waitFor('the child to exit', () => !isAlive(child), 10_000)
    const answered = await fetch(`${base}/healthz`).then(
      () => true,
      () => false,
    )
    expect(answered).toBe(false)
  }, 90_000)

  it('gives a draining worker the whole of WEBHOOK_TIMEOUT (and its margin) on SIGTERM', async () => {
    // A delivery that takes 22 s, under a 30 s WEBHOOK_TIMEOUT: the worker's own drain allows
    // 40 s, and a supervisor that SIGKILLs after 20 s would cut it off.
    const receiver = await startReceiver(() => ({ status: 200, delayMs: 22_000 }))
    cleanups.push(() => receiver.close())
    const { service, post } = await startService({ WEBHOOK_TIMEOUT: '30s' })
    const endpoint = await post('/v1/outgoing-webhooks', {
      url: receiver.url,
      events: ['phone_number.connected'],
    })
    expect(endpoint.status).toBe(201)
    const test = await post(
      `/v1/outgoing-webhooks/${(await readData(endpoint, 'endpoint')).id}/test`,
      {},
    )
    expect(test.status).toBe(202)
    await waitFor('the delivery to be in flight', () => receiver.requests.length === 1)

    service.child.kill('SIGTERM')
    expect(await service.exited).toBe(0)
    // The delivery ran to its end before the process exited: the receiver's answer, sent 22 s
    // in, reached a client still connected (a killed worker's socket would have closed).
    expect(receiver.requests[0]?.answered).toBe(true)
    expect(service.output()).not.toMatch(/did not stop within/)
    expect(service.output()).toMatch(/webhook worker stopped/)
    expect(receiver.requests).toHaveLength(1)
  }, 120_000)

  it('does not start (nor restart forever) with an invalid worker setting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'service-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const service = runEntry('scripts/run-service.ts', [], {
      PORT: String(await freePort()),
      DATABASE_URL: join(dir, 'onboarding.db'),
      WEBHOOK_WORKER_CONCURRENCY: 'lots',
    })
    started.push(service)
    expect(await service.exited).toBe(1)
    expect(service.output()).toMatch(/WEBHOOK_WORKER_CONCURRENCY/)
    expect(service.output()).not.toContain('supervisor:')
  })

  it('runs one role on request: `api` serves without a worker, `worker` works and serves /metrics and /healthz on METRICS_PORT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'service-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const env = {
      DATABASE_URL: join(dir, 'onboarding.db'),
      WEBHOOK_QUEUE_PREFIX: `service-test-${randomUUID()}`,
    }
    const apiPort = await freePort()
    const api = runEntry('scripts/run-service.ts', ['api'], { ...env, PORT: String(apiPort) })
    started.push(api)
    await api.waitFor(/API listening/, 60_000)
    expect(startedPids(api, 'api')).toHaveLength(1)
    expect(api.output()).not.toMatch(/webhook worker started/)
    expect((await fetch(`http://127.0.0.1:${apiPort}/healthz`)).status).toBe(200)
    const apiMetrics = await (await fetch(`http://127.0.0.1:${apiPort}/metrics`)).text()
    expect(apiMetrics).toMatch(
      /onboard_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/,
    )
    expect(apiMetrics).not.toMatch(/onboard_webhook_delivery_attempts_total/)

    const metricsPort = await freePort()
    const worker = runEntry('scripts/run-service.ts', ['worker'], {
      ...env,
      METRICS_PORT: String(metricsPort),
    })
    started.push(worker)
    await worker.waitFor(/webhook worker started/, 60_000)
    expect(startedPids(worker, 'worker')).toHaveLength(1)
    expect(worker.output()).not.toMatch(/API listening/)
    const health = await fetch(`http://127.0.0.1:${metricsPort}/healthz`)
    expect(health.status).toBe(200)
    // Depths are read from Redis at scrape time: they appear once the queue's connection is up,
    // which may be just after "started".
    const depth = /onboard_queue_jobs\{queue="webhook-deliveries",state="delayed"\} 0/
    const scrape = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
    await waitFor('the queue depths in /metrics', async () => depth.test(await scrape()))
    const workerMetrics = await scrape()
    expect(workerMetrics).toMatch(/# TYPE onboard_webhook_delivery_attempts_total counter/)
    expect(workerMetrics).not.toMatch(/onboard_http_request_duration_seconds/)
    for (const process of [api, worker]) {
      process.child.kill('SIGTERM')
      expect(await process.exited).toBe(0)
    }
  }, 120_000)

  it('refuses an unknown role with its usage', async () => {
    const service = runEntry('scripts/run-service.ts', ['everything'], {})
    started.push(service)
    expect(await service.exited).toBe(2)
    expect(service.output()).toMatch(/Usage: \.\/scripts\/start \[all\|api\|worker\]/)
  })
})

import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startReceiver, waitFor } from '../../../workers/webhooks/test/support/receiver'
import { freePort, type RunningProcess, runEntry } from './support/processes'

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

  it('restarts a child that is killed while the other keeps serving, and stops all on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'service-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const receiver = await startReceiver()
    cleanups.push(() => receiver.close())
    const port = await freePort()
    const service = runEntry('scripts/run-service.ts', [], {
      PORT: String(port),
      DATABASE_URL: join(dir, 'onboarding.db'),
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      // The worker's own queue, so no other worker on this Redis takes its jobs; the relay
      // then moves the API's deliveries into it within a few hundred milliseconds.
      WEBHOOK_QUEUE_PREFIX: `service-test-${randomUUID()}`,
      WEBHOOK_RELAY_INTERVAL: '300ms',
    })
    started.push(service)
    // Whatever happens below, no child outlives the test.
    cleanups.push(() => {
      for (const pid of [...startedPids(service, 'api'), ...startedPids(service, 'worker')]) {
        if (isAlive(pid)) process.kill(pid, 'SIGKILL')
      }
    })
    await service.waitFor(/API listening/, 60_000)
    await service.waitFor(/webhook worker started/)
    // The first start prints a working key and a link-creating body.
    const key = service.output().match(/Bearer (sk_org_test_\w+)/)?.[1]
    const linkBody = service.output().match(/-d '(\{.*\})'/)?.[1]
    expect(key).toBeDefined()
    expect(linkBody).toBeDefined()
    const base = `http://127.0.0.1:${port}`
    const post = (path: string, body: string) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      })

    // SIGKILL the worker: the API keeps answering, a new worker starts and delivers.
    const firstWorker = pidOf(service, 'worker', 0)
    const firstApi = pidOf(service, 'api', 0)
    process.kill(firstWorker, 'SIGKILL')
    await service.waitFor(
      new RegExp(
        `supervisor: worker \\(pid ${firstWorker}\\) was killed by SIGKILL; restarting in 1 s`,
      ),
    )
    expect((await fetch(`${base}/healthz`)).status).toBe(200)
    expect((await post('/v1/onboarding-links', linkBody ?? '')).status).toBe(201)
    await waitFor('a new worker', () => startedPids(service, 'worker').length === 2)
    const secondWorker = pidOf(service, 'worker', 1)
    expect(secondWorker).not.toBe(firstWorker)
    expect(isAlive(secondWorker)).toBe(true)
    expect(isAlive(firstApi)).toBe(true)

    const endpoint = await post(
      '/v1/outgoing-webhooks',
      JSON.stringify({ url: receiver.url, events: ['phone_number.connected'] }),
    )
    expect(endpoint.status).toBe(201)
    const test = await post(`/v1/outgoing-webhooks/${(await endpoint.json()).data.id}/test`, '{}')
    expect(test.status).toBe(202)
    await waitFor('the new worker to deliver', () => receiver.requests.length === 1)

    // SIGKILL the API: it comes back on the same port and answers; the worker is untouched.
    process.kill(firstApi, 'SIGKILL')
    await service.waitFor(
      new RegExp(`supervisor: api \\(pid ${firstApi}\\) was killed by SIGKILL; restarting in 1 s`),
    )
    await waitFor('the restarted API', async () =>
      fetch(`${base}/healthz`).then(
        (res) => res.status === 200,
        () => false,
      ),
    )
    const secondApi = pidOf(service, 'api', 1)
    expect(secondApi).not.toBe(firstApi)
    expect((await post('/v1/onboarding-links', linkBody ?? '')).status).toBe(201)
    expect(isAlive(secondWorker)).toBe(true)

    // SIGTERM the supervisor: every child stops, nothing is restarted, the script exits 0.
    service.child.kill('SIGTERM')
    expect(await service.exited).toBe(0)
    expect(isAlive(secondApi)).toBe(false)
    expect(isAlive(secondWorker)).toBe(false)
    expect(startedPids(service, 'api')).toHaveLength(2)
    expect(startedPids(service, 'worker')).toHaveLength(2)
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
      for (const pid of [...startedPids(service, 'api'), ...startedPids(service, 'worker')]) {
        if (isAlive(pid)) process.kill(pid, 'SIGKILL')
      }
    })
    await service.waitFor(/API listening/, 60_000)
    await service.waitFor(/webhook worker started/)
    const key = service.output().match(/Bearer (sk_org_test_\w+)/)?.[1]
    const base = `http://127.0.0.1:${port}`
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    return { service, base, post }
  }

  it('takes its children down when it is itself SIGKILLed, freeing the port', async () => {
    const { service, base } = await startService()
    const api = pidOf(service, 'api', 0)
    const worker = pidOf(service, 'worker', 0)
    service.child.kill('SIGKILL')
    await service.exited
    await waitFor('both children to exit', () => !isAlive(api) && !isAlive(worker), 10_000)
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
    const test = await post(`/v1/outgoing-webhooks/${(await endpoint.json()).data.id}/test`, {})
    expect(test.status).toBe(202)
    await waitFor('the delivery to be in flight', () => receiver.requests.length === 1)

    const stoppingAt = Date.now()
    service.child.kill('SIGTERM')
    expect(await service.exited).toBe(0)
    expect(Date.now() - stoppingAt).toBeGreaterThan(15_000)
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
})

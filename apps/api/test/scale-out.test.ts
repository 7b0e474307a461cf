import { randomUUID } from 'node:crypto'
import { createOrganization } from '@onboard/core'
import { createTestDatabase, type TestDatabase, testDialect } from '@onboard/core/testing'
import type { SignupResult } from '@onboard/meta-sandbox'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Receiver,
  startReceiver,
  waitFor,
} from '../../../workers/webhooks/test/support/receiver'
import { freePort, type RunningProcess, runEntry } from './support/processes'
import { readBody, readData } from './support/responses'

/**
 * The scaled-out deployment of docs/deploy.md, for real: two API processes and two worker
 * processes (the entries `./scripts/start api|worker` runs) on one PostgreSQL database and
 * one Redis. Only PostgreSQL is meant to be shared by several processes this way; on SQLite
 * the embedded default runs both roles in one process (apps/api/test/service.test.ts).
 */
describe.skipIf(testDialect !== 'postgres')(
  'two APIs and two workers on one PostgreSQL and one Redis (skipped on SQLite: the scaled-out mode is PostgreSQL)',
  () => {
    let database: TestDatabase
    let receiver: Receiver
    const apis: { process: RunningProcess; base: string }[] = []
    const workers: RunningProcess[] = []
    let key: string

    beforeAll(async () => {
      database = await createTestDatabase()
      receiver = await startReceiver()
      const ports = [await freePort(), await freePort()]
      const env = {
        DATABASE_URL: database.databaseUrl,
        ENCRYPTION_KEY: database.encryptionKey,
        // Behind a load balancer every replica has the one public URL.
        PUBLIC_BASE_URL: `http://127.0.0.1:${ports[0]}`,
        WEBHOOK_QUEUE_PREFIX: `scale-out-${randomUUID()}`,
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_RELAY_INTERVAL: '500ms',
        // A killed worker's jobs are taken again once their lock lapses and a stalled check runs.
        WEBHOOK_WORKER_LOCK_DURATION: '2s',
        WEBHOOK_WORKER_STALLED_INTERVAL: '1s',
        LOG_LEVEL: 'info',
      }
      for (const port of ports) {
        const api = runEntry('apps/api/src/main.ts', [], { ...env, PORT: String(port) })
        apis.push({ process: api, base: `http://127.0.0.1:${port}` })
        // One after the other: the first start creates the default organisation.
        await api.waitFor(/API listening/, 30_000)
        await waitFor('the API to answer', () => ready(`http://127.0.0.1:${port}`), 30_000)
      }
      for (let i = 0; i < 2; i++) {
        const worker = runEntry('workers/webhooks/src/main.ts', [], {
          ...env,
          METRICS_PORT: '0',
        })
        workers.push(worker)
        await worker.waitFor(/webhook worker started/, 30_000)
      }
      key = (await createOrganization(database.core, { name: 'Scale-out' })).keys.test
    }, 120_000)

    afterAll(async () => {
      await Promise.all([...apis.map((api) => api.process), ...workers].map((p) => p.stop()))
      await receiver?.close()
      await database?.close()
    })

    const call = (base: string, path: string, init: { method?: string; json?: unknown } = {}) =>
      fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${key}`,
          ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      })

    it('completes a signup played through one API’s /__sandbox through the other’s callback', async () => {
      const [a, b] = apis.map((api) => api.base) as [string, string]
      const created = await call(a, '/v1/onboarding-links', {
        method: 'POST',
        json: { name: 'Acme Corp' },
      })
      expect(created.status).toBe(201)
      const link = await readData(created, 'link')
      const page = await (await fetch(`${b}/signup/${link.id}`)).text()
      const config = /<script type="application\/json" id="signup-config">(.*?)<\/script>/s.exec(
        page,
      )?.[1]
      const { nonce } = JSON.parse(config ?? '{}')
      const played = await fetch(`${a}/__sandbox/signups`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenario: 'success', options: {} }),
      })
      expect(played.status).toBe(201)
      const result = await readBody<SignupResult>(played)
      const callback = await fetch(`${b}/signup/${link.id}/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          nonce,
          code: result.code,
          wabaId: result.event.data.waba_id ?? null,
          phoneNumberId: result.event.data.phone_number_id ?? null,
          businessId: result.event.data.business_id ?? null,
          event: {
            event: result.event.event,
            data: result.event.data,
            version: result.event.version,
          },
        }),
      })
      expect(callback.status, await callback.clone().text()).toBe(200)
      expect((await readData(callback, 'signupOutcome')).status).toBe('success')
      const read = await readData(await call(a, `/v1/onboarding-links/${link.id}`), 'link')
      expect(read.status).toBe('completed')
    }, 60_000)

    it('delivers 300 events raised through both APIs, signed, none lost, with a worker SIGKILLed a third of the way in', async () => {
      const [a, b] = apis.map((api) => api.base) as [string, string]
      const createdEndpoint = await call(a, '/v1/outgoing-webhooks', {
        method: 'POST',
        json: { url: receiver.url, events: ['phone_number.connected'] },
      })
      expect(createdEndpoint.status).toBe(201)
      const endpoint = await readData(createdEndpoint, 'endpoint')
      const before = receiver.requests.length

      const raised: string[] = []
      for (let i = 0; i < 300; i++) {
        if (i === 100) {
          workers[0]?.child.kill('SIGKILL')
          await workers[0]?.exited
        }
        const res = await call(i % 2 === 0 ? a : b, `/v1/outgoing-webhooks/${endpoint.id}/test`, {
          method: 'POST',
          json: {},
        })
        expect(res.status).toBe(202)
        raised.push((await readData(res, 'delivery')).id)
      }
      expect(new Set(raised).size).toBe(300)

      const received = () => receiver.requests.slice(before)
      await waitFor(
        'all 300 webhooks to arrive',
        () => new Set(received().map((request) => request.webhookId)).size >= 300,
        90_000,
      )
      const requests = received()
      // 0 lost: exactly the 300 raised ids, no other.
      expect(new Set(requests.map((request) => request.webhookId))).toEqual(new Set(raised))
      // Every signature valid; a duplicate is only a redelivery: same webhook-id, same body.
      if (endpoint.secret === undefined) throw new Error('the created endpoint carries no secret')
      const verifier = new Webhook(endpoint.secret)
      const bodyById = new Map<string, string>()
      for (const request of requests) {
        expect(() => verifier.verify(request.body, request.headers)).not.toThrow()
        const seen = bodyById.get(request.webhookId)
        if (seen !== undefined) expect(request.body).toBe(seen)
        bodyById.set(request.webhookId, request.body)
      }
    }, 180_000)
  },
)

async function ready(base: string): Promise<boolean> {
  return fetch(`${base}/readyz`).then(
    (res) => res.status === 200,
    () => false,
  )
}

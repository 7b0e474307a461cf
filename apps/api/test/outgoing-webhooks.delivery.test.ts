import { Webhook } from 'standardwebhooks'
import { beforeEach, describe, expect, it } from 'vitest'
import { type Reply, waitFor } from '../../../workers/webhooks/test/support/receiver'
import { useOrganization, useReceiver, useTestApi, useTestWorkers } from './support/fixture'
import { readData, readList, type Shape } from './support/responses'

/** The API and the real worker on one database and this test's own queue prefix. */
describe('outgoing webhooks: end to end through the worker', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })
  useTestWorkers(api, { scope: 'test' })
  /** How the receiver answers its nth request; a test may change it. */
  let reply: (index: number) => Reply
  beforeEach(() => {
    reply = () => ({ status: 200 })
  })
  const hook = useReceiver((_request, index) => reply(index), { scope: 'test' })

  const post = async <K extends 'endpoint' | 'delivery'>(
    shape: K,
    path: string,
    json?: unknown,
  ) => {
    const res = await api.request(path, { method: 'POST', key: org.test, json })
    expect(res.status, path).toBeLessThan(300)
    return readData(res, shape)
  }
  const deliveries = async (id: string) =>
    (
      await readList(
        await api.request(`/v1/outgoing-webhooks/${id}/deliveries`, { key: org.test }),
        'delivery',
      )
    ).data
  /** The signing secret, which create and rotate-secret (only) answer with. */
  const secretOf = (endpoint: Shape<'endpoint'>) => {
    if (endpoint.secret === undefined) throw new Error(`${endpoint.id} came without its secret`)
    return endpoint.secret
  }

  it('delivers a signed test event, rotates, and replays with the same webhook-id', async () => {
    const endpoint = await post('endpoint', '/v1/outgoing-webhooks', {
      url: hook.url,
      events: ['message.sent'],
    })
    const first = await post('delivery', `/v1/outgoing-webhooks/${endpoint.id}/test`)
    await waitFor('the test event', () => hook.requests.length === 1)
    const [request] = hook.requests
    const body = new Webhook(secretOf(endpoint)).verify(request?.body ?? '', request?.headers ?? {})
    expect(body).toMatchObject({ event: 'webhook.test', data: { outgoingWebhookId: endpoint.id } })
    expect(request?.webhookId).toBe(first.id)
    await waitFor(
      'the attempt to be recorded',
      async () => (await deliveries(endpoint.id))[0]?.status === 'delivered',
    )
    const [logged] = await deliveries(endpoint.id)
    expect(logged?.attempts).toEqual([
      {
        attemptedAt: expect.any(String),
        trigger: 'scheduled',
        httpStatus: 200,
        durationMs: expect.any(Number),
        responseBody: null,
        error: null,
      },
    ])

    const rotated = await post('endpoint', `/v1/outgoing-webhooks/${endpoint.id}/rotate-secret`)
    await post('delivery', `/v1/outgoing-webhooks/${endpoint.id}/test`)
    await waitFor('the second test event', () => hook.requests.length === 2)
    const second = hook.requests[1]
    expect(second?.signature.split(' ')).toHaveLength(2)
    for (const secret of [secretOf(endpoint), secretOf(rotated)]) {
      expect(() =>
        new Webhook(secret).verify(second?.body ?? '', second?.headers ?? {}),
      ).not.toThrow()
    }

    const replay = await post(
      'delivery',
      `/v1/outgoing-webhooks/${endpoint.id}/deliveries/${first.id}/retry`,
    )
    expect(replay.status).toBe('pending')
    await waitFor('the replay', () => hook.requests.length === 3)
    expect(hook.requests[2]?.webhookId).toBe(first.id)
    await waitFor('the replay to be recorded', async () => {
      const found = (await deliveries(endpoint.id)).find((d) => d.id === first.id)
      return found?.attempts.length === 2
    })
    const replayed = (await deliveries(endpoint.id)).find((d) => d.id === first.id)
    expect(replayed?.attempts.map((a) => a.trigger)).toEqual(['scheduled', 'manual'])
  })

  it('retries a pending delivery now on request, and a 410 disables the endpoint', async () => {
    reply = (index) => (index === 0 ? { status: 500 } : { status: 410 })
    const endpoint = await post('endpoint', '/v1/outgoing-webhooks', {
      url: hook.url,
      events: ['message.sent'],
    })
    const sent = await post('delivery', `/v1/outgoing-webhooks/${endpoint.id}/test`)
    await waitFor(
      'the first failure',
      async () => (await deliveries(endpoint.id))[0]?.attemptCount === 1,
    )
    await post('delivery', `/v1/outgoing-webhooks/${endpoint.id}/deliveries/${sent.id}/retry`)
    await waitFor('the 410', async () => (await deliveries(endpoint.id))[0]?.status === 'failed')
    const read = await readData(
      await api.request(`/v1/outgoing-webhooks/${endpoint.id}`, { key: org.test }),
      'endpoint',
    )
    expect(read).toMatchObject({ enabled: false, disabledReason: 'gone' })
    expect(read.disabledMessage).toContain('410 Gone')
  })
})

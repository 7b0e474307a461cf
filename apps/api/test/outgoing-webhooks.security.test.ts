import { beforeEach, describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError, readList } from './support/responses'

describe('outgoing webhooks: security', () => {
  const api = useTestApi({ scope: 'test' })
  const mine = useOrganization(api, { name: 'Mine', scope: 'test' })
  const theirs = useOrganization(api, { name: 'Theirs', scope: 'test' })
  let endpointId: string
  let deliveryId: string
  beforeEach(async () => {
    const created = await api.request('/v1/outgoing-webhooks', {
      method: 'POST',
      key: mine.test,
      json: { url: 'https://a.example/h', events: ['message.sent'] },
    })
    endpointId = (await readData(created, 'endpoint')).id
    const test = await api.request(`/v1/outgoing-webhooks/${endpointId}/test`, {
      method: 'POST',
      key: mine.test,
    })
    deliveryId = (await readData(test, 'delivery')).id
  })

  const routes = () =>
    [
      ['GET', '/v1/outgoing-webhooks', undefined],
      ['POST', '/v1/outgoing-webhooks', { url: 'https://a.example/h', events: ['message.sent'] }],
      ['GET', `/v1/outgoing-webhooks/${endpointId}`, undefined],
      ['PATCH', `/v1/outgoing-webhooks/${endpointId}`, { enabled: false }],
      ['DELETE', `/v1/outgoing-webhooks/${endpointId}`, undefined],
      ['POST', `/v1/outgoing-webhooks/${endpointId}/rotate-secret`, undefined],
      ['POST', `/v1/outgoing-webhooks/${endpointId}/test`, undefined],
      ['GET', `/v1/outgoing-webhooks/${endpointId}/deliveries`, undefined],
      ['POST', `/v1/outgoing-webhooks/${endpointId}/deliveries/${deliveryId}/retry`, undefined],
    ] as const

  it('answers 401 without a valid key on every route', async () => {
    for (const [method, path, json] of routes()) {
      for (const key of [undefined, 'sk_org_test_nope']) {
        const res = await api.request(path, { method, json, key })
        expect(res.status, `${method} ${path}`).toBe(401)
        expect((await readError(res)).code).toBe('unauthorized')
      }
    }
  })

  it("answers 404 for another organisation's or the other mode's endpoint, changing nothing", async () => {
    for (const key of [theirs.test, mine.live]) {
      for (const [method, path, json] of routes().slice(2)) {
        const res = await api.request(path, { method, json, key })
        expect(res.status, `${method} ${path}`).toBe(404)
      }
      const list = await readList(await api.request('/v1/outgoing-webhooks', { key }), 'endpoint')
      expect(list.data).toEqual([])
    }
    const still = await readData(
      await api.request(`/v1/outgoing-webhooks/${endpointId}`, { key: mine.test }),
      'endpoint',
    )
    expect(still).toMatchObject({ enabled: true, url: 'https://a.example/h' })
  })

  it('never stores a secret in clear text or puts it in the queue', async () => {
    const created = await readData(
      await api.request('/v1/outgoing-webhooks', {
        method: 'POST',
        key: mine.test,
        json: {
          url: 'https://a.example/h',
          events: ['message.sent'],
          secret: 'whsec_my_secret_key_123',
        },
      }),
      'endpoint',
    )
    const row = await api.core.db
      .selectFrom('outgoing_webhooks')
      .select('secret_enc')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow()
    expect(row.secret_enc).not.toContain('my_secret_key')
    const job = await api.deliveryQueue.queue.getJob(deliveryId)
    expect(JSON.stringify(job?.data)).toBe(JSON.stringify({ deliveryId }))
  })
})

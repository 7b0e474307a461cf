import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readBody, readData, readList } from './support/responses'

describe('outgoing webhooks: happy paths', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  const create = async (json: Record<string, unknown>) => {
    const res = await api.request('/v1/outgoing-webhooks', { method: 'POST', key: org.test, json })
    expect(res.status).toBe(201)
    return readData(res, 'endpoint')
  }

  it('creates with a generated whsec_ secret shown once, then reads without it', async () => {
    const data = await create({
      url: 'https://myapp.com/webhooks/whatsapp',
      events: ['phone_number.connected', 'message.received'],
      description: 'Production',
    })
    expect(data).toMatchObject({
      url: 'https://myapp.com/webhooks/whatsapp',
      events: ['phone_number.connected', 'message.received'],
      description: 'Production',
      wabaId: null,
      onboardingLinkId: null,
      enabled: true,
      disabledReason: null,
      disabledMessage: null,
      failingSince: null,
      previousSecretExpiresAt: null,
    })
    expect(data.id).toMatch(/^we_[0-9A-Za-z]{22}$/)
    expect(data.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)

    const got = await readData(
      await api.request(`/v1/outgoing-webhooks/${data.id}`, { key: org.test }),
      'endpoint',
    )
    expect(got).not.toHaveProperty('secret')
    expect(got.id).toBe(data.id)
    const list = await readList(
      await api.request('/v1/outgoing-webhooks', { key: org.test }),
      'endpoint',
    )
    expect(list.pagination).toEqual({ page: 1, limit: 50, total: 1, hasMore: false })
    expect(list.data[0]).not.toHaveProperty('secret')
  })

  it('keeps a customer-supplied secret as given', async () => {
    const data = await create({
      url: 'http://localhost:4000/hook',
      events: ['phone_number.connected'],
      secret: 'whsec_my_secret_key_123',
    })
    // A WABA scope needs a connected WABA: see outgoing-webhooks.scope.test.ts.
    expect(data).toMatchObject({ secret: 'whsec_my_secret_key_123', wabaId: null })
  })

  it('updates url, events and description, and disables / re-enables', async () => {
    const { id } = await create({ url: 'https://a.example/h', events: ['message.sent'] })
    const patch = (json: unknown) =>
      api.request(`/v1/outgoing-webhooks/${id}`, { method: 'PATCH', key: org.test, json })
    const updated = await readData(
      await patch({ url: 'https://b.example/h', events: ['message.read'], description: 'x' }),
      'endpoint',
    )
    expect(updated).toMatchObject({
      url: 'https://b.example/h',
      events: ['message.read'],
      description: 'x',
    })
    const disabled = await readData(await patch({ enabled: false }), 'endpoint')
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'manual' })
    expect(disabled.disabledAt).not.toBeNull()
    const enabled = await readData(await patch({ enabled: true }), 'endpoint')
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null })
  })

  it('rotates the secret, with or without a body, keeping the previous one for 24 h', async () => {
    const created = await create({ url: 'https://a.example/h', events: ['message.sent'] })
    const rotate = (init: RequestInit & { json?: unknown } = {}) =>
      api.request(`/v1/outgoing-webhooks/${created.id}/rotate-secret`, {
        method: 'POST',
        key: org.test,
        ...init,
      })
    const generated = await rotate()
    expect(generated.status).toBe(200)
    const first = await readData(generated, 'endpoint')
    expect(first.secret).toMatch(/^whsec_/)
    expect(first.secret).not.toBe(created.secret)
    expect(Date.parse(first.previousSecretExpiresAt ?? '') - Date.parse(first.updatedAt)).toBe(
      86_400_000,
    )
    const chosen = await readData(
      await rotate({ json: { secret: 'my-own-secret-123456' } }),
      'endpoint',
    )
    expect(chosen.secret).toBe('my-own-secret-123456')
  })

  it('sends a test event: a queued delivery whose job carries only its id', async () => {
    const { id } = await create({ url: 'https://a.example/h', events: ['message.sent'] })
    const res = await api.request(`/v1/outgoing-webhooks/${id}/test`, {
      method: 'POST',
      key: org.test,
    })
    expect(res.status).toBe(202)
    const data = await readData(res, 'delivery')
    expect(data).toMatchObject({
      outgoingWebhookId: id,
      eventType: 'webhook.test',
      status: 'pending',
      attemptCount: 0,
      attempts: [],
    })
    expect(data.id).toMatch(/^msg_/)
    const job = await api.deliveryQueue.queue.getJob(data.id)
    expect(job?.data).toEqual({ deliveryId: data.id })

    const list = await readList(
      await api.request(`/v1/outgoing-webhooks/${id}/deliveries?status=pending`, { key: org.test }),
      'delivery',
    )
    expect(list.data.map((d) => d.id)).toEqual([data.id])
    const none = await readList(
      await api.request(`/v1/outgoing-webhooks/${id}/deliveries?status=delivered`, {
        key: org.test,
      }),
      'delivery',
    )
    expect(none).toEqual({ data: [], pagination: { page: 1, limit: 50, total: 0, hasMore: false } })
    const byType = await readList(
      await api.request(`/v1/outgoing-webhooks/${id}/deliveries?eventType=message.sent`, {
        key: org.test,
      }),
      'delivery',
    )
    expect(byType.data).toEqual([])
  })

  it('deletes an endpoint with its deliveries', async () => {
    const { id } = await create({ url: 'https://a.example/h', events: ['message.sent'] })
    await api.request(`/v1/outgoing-webhooks/${id}/test`, { method: 'POST', key: org.test })
    const res = await api.request(`/v1/outgoing-webhooks/${id}`, {
      method: 'DELETE',
      key: org.test,
    })
    expect(res.status).toBe(204)
    expect((await api.request(`/v1/outgoing-webhooks/${id}`, { key: org.test })).status).toBe(404)
    const left = await api.core.db.selectFrom('webhook_deliveries').selectAll().execute()
    expect(left).toEqual([])
  })

  it('documents every route in the OpenAPI document', async () => {
    const doc = await readBody<{ paths: Record<string, unknown> }>(
      await api.request('/openapi.json'),
    )
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/outgoing-webhooks',
        '/v1/outgoing-webhooks/{id}',
        '/v1/outgoing-webhooks/{id}/rotate-secret',
        '/v1/outgoing-webhooks/{id}/test',
        '/v1/outgoing-webhooks/{id}/deliveries',
        '/v1/outgoing-webhooks/{id}/deliveries/{deliveryId}/retry',
      ]),
    )
  })
})

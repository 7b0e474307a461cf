import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError, readJson, shapes } from './support/responses'

describe('outgoing webhooks: errors', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  const post = (path: string, json?: unknown, headers?: Record<string, string>) =>
    api.request(path, { method: 'POST', key: org.test, json, headers })

  it.each([
    [{ events: ['message.sent'] }, 'url', 'is required'],
    [{ url: 'https://a.example/h' }, 'events', 'is required'],
    [{ url: 'https://a.example/h', events: [] }, 'events', 'must contain at least 1 item'],
    [{ url: 'https://a.example/h', events: ['nope'] }, 'events[0]', 'must be one of'],
    [
      { url: 'https://a.example/h', events: ['message.sent', 'message.sent'] },
      'events[1]',
      'duplicates',
    ],
    [{ url: 'http://a.example/h', events: ['message.sent'] }, 'url', 'must use https'],
    [{ url: 'https://u:p@a.example/h', events: ['message.sent'] }, 'url', 'credentials'],
    [
      { url: 'https://a.example/h', events: ['message.sent'], secret: 'short' },
      'secret',
      'at least 16',
    ],
    [
      { url: 'https://a.example/h', events: ['message.sent'], extra: 1 },
      'extra',
      'not a recognised field',
    ],
  ])('rejects %j with a 400 naming the field', async (body, field, message) => {
    const res = await post('/v1/outgoing-webhooks', body)
    const error = await readError(res, 400)
    expect(error.code).toBe('validation_error')
    expect(error.details).toContainEqual({ field, message: expect.stringContaining(message) })
    const count = await api.core.db.selectFrom('outgoing_webhooks').selectAll().execute()
    expect(count).toEqual([])
  })

  it('rejects an empty update and unknown ids', async () => {
    const created = await readData(
      await post('/v1/outgoing-webhooks', { url: 'https://a.example/h', events: ['message.sent'] }),
      'endpoint',
    )
    const empty = await api.request(`/v1/outgoing-webhooks/${created.id}`, {
      method: 'PATCH',
      key: org.test,
      json: {},
    })
    expect(empty.status).toBe(400)
    for (const path of [
      '/v1/outgoing-webhooks/we_missing',
      '/v1/outgoing-webhooks/we_missing/deliveries',
    ]) {
      const res = await api.request(path, { key: org.test })
      expect((await readError(res, 404)).code).toBe('not_found')
    }
    const retry = await post(`/v1/outgoing-webhooks/${created.id}/deliveries/msg_missing/retry`)
    expect((await readError(retry, 404)).message).toBe('No delivery with that id exists.')
  })

  it('refuses a test event or a retry while the endpoint is disabled (409)', async () => {
    const data = await readData(
      await post('/v1/outgoing-webhooks', { url: 'https://a.example/h', events: ['message.sent'] }),
      'endpoint',
    )
    const test = await readData(await post(`/v1/outgoing-webhooks/${data.id}/test`), 'delivery')
    await api.request(`/v1/outgoing-webhooks/${data.id}`, {
      method: 'PATCH',
      key: org.test,
      json: { enabled: false },
    })
    const again = await post(`/v1/outgoing-webhooks/${data.id}/test`)
    expect((await readError(again, 409)).code).toBe('endpoint_disabled')
    const retry = await post(`/v1/outgoing-webhooks/${data.id}/deliveries/${test.id}/retry`)
    expect(retry.status).toBe(409)
  })

  it('replays a create with the same Idempotency-Key', async () => {
    const body = { url: 'https://a.example/h', events: ['message.sent'] }
    const first = await post('/v1/outgoing-webhooks', body, { 'idempotency-key': 'k-1' })
    const second = await post('/v1/outgoing-webhooks', body, { 'idempotency-key': 'k-1' })
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    // Whole bodies, not just `data`: a replay answers exactly what the first request got.
    const created = z.object({ data: shapes.endpoint })
    expect(await readJson(second, created)).toEqual(await readJson(first, created))
    expect(await api.core.db.selectFrom('outgoing_webhooks').selectAll().execute()).toHaveLength(1)
  })
})

describe('outgoing webhooks: errors while Redis is unreachable', () => {
  const api = useTestApi({ env: { REDIS_URL: 'redis://127.0.0.1:1' }, scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })
  const post = (path: string, json?: unknown) =>
    api.request(path, { method: 'POST', key: org.test, json })

  it('still answers a test event while Redis is unreachable; the outbox keeps it', async () => {
    const data = await readData(
      await post('/v1/outgoing-webhooks', { url: 'https://a.example/h', events: ['message.sent'] }),
      'endpoint',
    )
    const res = await post(`/v1/outgoing-webhooks/${data.id}/test`)
    expect(res.status).toBe(202)
    expect((await readData(res, 'delivery')).status).toBe('pending')
  })
})

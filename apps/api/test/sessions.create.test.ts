import { prefillExample } from '@onboard/core'
import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { type OpenApiDocument, readBody, readError, readJson, shapes } from './support/responses'
import { createSession, readSession, SESSIONS } from './support/sessions'

const valid = { redirect_uri: 'https://example.com/whatsapp/callback', state: 'abc123-csrf-token' }

describe('POST /v1/organization/embedded-signup/sessions', () => {
  const api = useTestApi()
  const org = useOrganization(api)

  const post = (json: unknown, headers: Record<string, string> = {}) =>
    api.request(SESSIONS, { method: 'POST', key: org.test, json, headers })

  it('returns exactly {id, url, expires_at}: wss_ id, the hosted page, 15 minutes', async () => {
    const res = await post({
      ...valid,
      metadata: { externalUserId: 'user_123', businessName: 'Acme Corp' },
      prefill: prefillExample,
    })
    expect(res.status).toBe(201)
    const body = await readJson(res, shapes.createdSession)
    expect(Object.keys(body).sort()).toEqual(['expires_at', 'id', 'url'])
    expect(body.id).toMatch(/^wss_[0-9A-Za-z]{22}$/)
    expect(body.url).toBe(`${api.url}/signup/${body.id}`)
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    // 15 minutes from its creation, by the server's clock (the session records both).
    const stored = await readSession(api, org.test, body.id)
    expect(stored.expires_at).toBe(body.expires_at)
    expect(Date.parse(body.expires_at) - Date.parse(stored.created_at)).toBe(15 * 60_000)
  })

  it.each([
    ['https://yourapp.com/whatsapp/callback', 'https'],
    ['myapp://whatsapp/callback', 'an app scheme'],
    ['http://localhost:3000/cb', 'http on localhost'],
    ['http://127.0.0.1:8080/cb?tenant=7', 'http on 127.0.0.1 with a query'],
  ])('accepts redirect_uri %s (%s)', async (redirect_uri) => {
    expect((await post({ ...valid, redirect_uri })).status).toBe(201)
  })

  it.each([
    [{ state: 'x' }, 'redirect_uri', 'is required'],
    [{ ...valid, redirect_uri: '' }, 'redirect_uri', 'absolute URL'],
    [{ ...valid, redirect_uri: 'javascript:alert(1)' }, 'redirect_uri', 'javascript:'],
    [{ ...valid, redirect_uri: 'data:text/html,hi' }, 'redirect_uri', 'data:'],
    [{ ...valid, redirect_uri: 'http://example.com/cb' }, 'redirect_uri', 'https'],
    [{ ...valid, redirect_uri: '/relative/cb' }, 'redirect_uri', 'absolute URL'],
    [{ redirect_uri: valid.redirect_uri }, 'state', 'is required'],
    [{ ...valid, state: '' }, 'state', 'at least 1 character'],
    [{ ...valid, state: 'x'.repeat(513) }, 'state', 'at most 512 characters'],
    [{ ...valid, metadata: ['a'] }, 'metadata', ''],
    [{ ...valid, metadata: 'user_123' }, 'metadata', ''],
    [{ ...valid, metadata: { big: 'x'.repeat(10 * 1024) } }, 'metadata', '10 KB'],
    [
      { ...valid, prefill: { business: { name: 'x'.repeat(256) } } },
      'prefill.business.name',
      '255',
    ],
    [
      { ...valid, prefill: { phone: { displayName: 'x'.repeat(513) } } },
      'prefill.phone.displayName',
      '512',
    ],
    [
      { ...valid, prefill: { phone: { description: 'x'.repeat(513) } } },
      'prefill.phone.description',
      '512',
    ],
    [
      { ...valid, prefill: { business: { address: { country: 'USA' } } } },
      'prefill.business.address.country',
      'ISO 3166-1',
    ],
    [
      { ...valid, prefill: { business: { timezone: 'Mars/Olympus_Mons' } } },
      'prefill.business.timezone',
      'IANA',
    ],
    [
      { ...valid, prefill: { business: { timezone: 'UTC-07:00' } } },
      'prefill.business.timezone',
      'IANA',
    ],
    [
      { ...valid, prefill: { business: { phone: { code: 0, number: '4155551234' } } } },
      'prefill.business.phone.code',
      'at least 1',
    ],
    [
      { ...valid, prefill: { business: { phone: { code: '1', number: '4155551234' } } } },
      'prefill.business.phone.code',
      '',
    ],
    [
      { ...valid, prefill: { business: { nickname: 'Acme' } } },
      'prefill.business.nickname',
      'not a recognised',
    ],
    [{ ...valid, redirectUri: 'https://a.example/cb' }, 'redirectUri', 'not a recognised field'],
  ])('refuses %j: %s %s', async (body, field, message) => {
    const res = await post(body)
    expect(res.status).toBe(400)
    const error = await readError(res)
    expect(error.code).toBe('validation_error')
    const detail = error.details?.find((d) => d.field.startsWith(field))
    expect(detail, JSON.stringify(error.details)).toBeDefined()
    expect(detail?.message).toContain(message)
  })

  it('replays the same response for a repeated Idempotency-Key and refuses it for another body', async () => {
    const first = await post(valid, { 'idempotency-key': 'create-session-1' })
    const again = await post(valid, { 'idempotency-key': 'create-session-1' })
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect((await readJson(again, shapes.createdSession)).id).toBe(
      (await readJson(first, shapes.createdSession)).id,
    )
    const other = await post(
      { ...valid, state: 'other' },
      { 'idempotency-key': 'create-session-1' },
    )
    expect(other.status).toBe(409)
  })

  it('needs an organisation key, and a test key makes a test session invisible to live', async () => {
    const anonymous = await api.request(SESSIONS, { method: 'POST', json: valid })
    expect(anonymous.status).toBe(401)
    const created = await createSession(api, org.test)
    expect((await api.request(`${SESSIONS}/${created.id}`, { key: org.live })).status).toBe(404)
    const other = await api.createOrganization('Other')
    expect((await api.request(`${SESSIONS}/${created.id}`, { key: other.test })).status).toBe(404)
  })

  it('is in the OpenAPI document with the metadata filter syntax', async () => {
    const doc = await readBody<OpenApiDocument>(await api.request('/openapi.json'))
    const paths = doc.paths
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/organization/embedded-signup/sessions',
        '/v1/organization/embedded-signup/sessions/{id}',
        '/v1/organization/embedded-signup/sessions/{id}/complete',
        '/v1/organization/whatsapp/business-profiles/callback',
      ]),
    )
    const list = paths['/v1/organization/embedded-signup/sessions']?.get
    const metadata = list?.parameters?.find((p) => p.name === 'metadata')
    expect(metadata).toMatchObject({ in: 'query', style: 'deepObject', explode: true })
    expect(metadata?.description).toContain('metadata[externalUserId]=user_123')
    const created = paths['/v1/organization/embedded-signup/sessions']?.post
    expect(created?.responses['201']).toBeDefined()
  })
})

import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SANDBOX_EXPIRED_CODE } from '../src/index'
import {
  APP_ID,
  APP_SECRET,
  connectedSignup,
  type MountedSandbox,
  startMountedSandbox,
} from './helpers'

// Raw HTTP against the Graph fake: Meta's shapes, status codes and error envelopes.

let sb: MountedSandbox
beforeAll(async () => {
  sb = await startMountedSandbox()
})
afterAll(async () => {
  await sb.close()
})

interface GraphErrorBody {
  error: { message: string; type: string; code: number; error_subcode?: number; fbtrace_id: string }
}

async function graph(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers)
  if (init.token) headers.set('authorization', `Bearer ${init.token}`)
  const res = await fetch(`${sb.graphUrl}${path}`, { ...init, headers })
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  }
}

function graphError(body: unknown) {
  return (body as GraphErrorBody).error
}

const exchangePath = (code: string, secret = APP_SECRET, clientId = APP_ID) =>
  `/v25.0/oauth/access_token?client_id=${clientId}&client_secret=${secret}&code=${encodeURIComponent(code)}`

describe('oauth/access_token', () => {
  it('answers Meta errors for bad app credentials, unknown, expired and used codes', async () => {
    const { code } = await sb.signup({ scenario: 'success' })
    const badId = await graph(exchangePath(code ?? '', APP_SECRET, '123'))
    expect(badId.status).toBe(400)
    expect(graphError(badId.body)).toMatchObject({ type: 'OAuthException', code: 101 })
    const badSecret = await graph(exchangePath(code ?? '', 'nope'))
    expect(graphError(badSecret.body)).toMatchObject({
      message: 'Error validating client secret.',
      code: 1,
    })
    const unknown = await graph(exchangePath('AQBneverissued'))
    expect(graphError(unknown.body)).toMatchObject({ code: 100, type: 'OAuthException' })

    const expired = await graph(exchangePath(SANDBOX_EXPIRED_CODE))
    expect(expired.status).toBe(400)
    expect(graphError(expired.body)).toMatchObject({
      message: 'This authorization code has expired.',
      code: 100,
      error_subcode: 36007,
    })
    expect(expired.headers.get('www-authenticate')).toContain('invalid_code')

    const ok = await graph(exchangePath(code ?? ''))
    expect(ok.status).toBe(200)
    expect(Object.keys(ok.body).sort()).toEqual(['access_token', 'token_type'])
    const used = await graph(exchangePath(code ?? ''))
    expect(graphError(used.body)).toMatchObject({
      message: 'This authorization code has been used.',
      error_subcode: 36009,
    })
  })

  it('expires codes after exactly 30 seconds on the injected clock', async () => {
    const early = await sb.signup({ scenario: 'success' })
    const late = await sb.signup({ scenario: 'success' })
    sb.clock.advance(30_000)
    expect((await graph(exchangePath(early.code ?? ''))).status).toBe(200)
    sb.clock.advance(1)
    expect(graphError((await graph(exchangePath(late.code ?? ''))).body).error_subcode).toBe(36007)
  })

  it('accepts the exchange as a form POST and without a version prefix', async () => {
    const { code } = await sb.signup({ scenario: 'success' })
    const res = await graph('/oauth/access_token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: APP_ID, client_secret: APP_SECRET, code: code ?? '' }),
    })
    expect(res.status).toBe(200)
  })
})

describe('authentication', () => {
  it('takes the token as Bearer or access_token, checks appsecret_proof when sent', async () => {
    const s = await connectedSignup(sb)
    expect((await graph(`/v25.0/${s.wabaId}?access_token=${s.token}`)).status).toBe(200)
    const proof = createHmac('sha256', APP_SECRET).update(s.token).digest('hex')
    expect(
      (await graph(`/v25.0/${s.wabaId}?appsecret_proof=${proof}`, { token: s.token })).status,
    ).toBe(200)
    const wrong = await graph(`/v25.0/${s.wabaId}?appsecret_proof=${'0'.repeat(64)}`, {
      token: s.token,
    })
    expect(graphError(wrong.body)).toMatchObject({ code: 100, type: 'GraphMethodException' })
    const missing = await graph(`/v25.0/${s.wabaId}`)
    expect(graphError(missing.body).code).toBe(104)
    const garbage = await graph(`/v25.0/${s.wabaId}`, { token: 'garbage' })
    expect(garbage.status).toBe(401)
    expect(graphError(garbage.body)).toMatchObject({ code: 190, type: 'OAuthException' })
    expect(graphError(garbage.body).fbtrace_id).toMatch(/^\w{11}$/)
  })

  it('scopes tokens to their WABA: (#200) for other assets, 100/33 for unknown ids', async () => {
    const mine = await connectedSignup(sb)
    const theirs = await sb.signup({ scenario: 'success' })
    const denied = await graph(`/v25.0/${theirs.phoneNumberId}`, { token: mine.token })
    expect(denied.status).toBe(403)
    expect(graphError(denied.body)).toMatchObject({
      code: 200,
      message: '(#200) Permissions error',
    })
    const unknown = await graph('/v25.0/100000000000009', { token: mine.token })
    expect(graphError(unknown.body)).toMatchObject({
      code: 100,
      error_subcode: 33,
      type: 'GraphMethodException',
    })
    const appToken = await graph(`/v25.0/${mine.wabaId}`, { token: `${APP_ID}|${APP_SECRET}` })
    expect(graphError(appToken.body).code).toBe(200)
  })
})

describe('debug_token', () => {
  it('lists the granted WABA in granular_scopes; an unknown token is is_valid false in a 200', async () => {
    const s = await connectedSignup(sb)
    const ok = await graph(`/v25.0/debug_token?input_token=${s.token}`, {
      token: `${APP_ID}|${APP_SECRET}`,
    })
    expect(ok.body.data).toMatchObject({
      app_id: APP_ID,
      type: 'SYSTEM_USER',
      is_valid: true,
      expires_at: 0,
      granular_scopes: [
        { scope: 'whatsapp_business_management', target_ids: [s.wabaId] },
        { scope: 'whatsapp_business_messaging', target_ids: [s.wabaId] },
        { scope: 'business_management', target_ids: [s.businessId] },
      ],
    })
    const bad = await graph('/v25.0/debug_token?input_token=EAAbogus', {
      token: `${APP_ID}|${APP_SECRET}`,
    })
    expect(bad.status).toBe(200)
    expect(bad.body.data).toMatchObject({ is_valid: false, error: { code: 190 } })
  })
})

describe('WABA and phone reads', () => {
  it('answers the requested fields, Graph defaults otherwise, and names unknown fields', async () => {
    const s = await connectedSignup(sb)
    const defaults = await graph(`/v25.0/${s.wabaId}`, { token: s.token })
    expect(Object.keys(defaults.body).sort()).toEqual(
      ['currency', 'id', 'message_template_namespace', 'name', 'timezone_id'].sort(),
    )
    const picked = await graph(`/v25.0/${s.wabaId}?fields=name,owner_business_info{name}`, {
      token: s.token,
    })
    expect(picked.body).toEqual({
      name: expect.any(String),
      owner_business_info: { id: s.businessId, name: expect.any(String) },
      id: s.wabaId,
    })
    const phone = await graph(
      `/v25.0/${s.phoneNumberId}?fields=is_on_biz_app,platform_type,last_onboarded_time`,
      {
        token: s.token,
      },
    )
    expect(phone.body).toMatchObject({ is_on_biz_app: false, platform_type: 'NOT_APPLICABLE' })
    expect(phone.body.last_onboarded_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/)
    const bad = await graph(`/v25.0/${s.wabaId}?fields=name,bogus`, { token: s.token })
    expect(graphError(bad.body).message).toBe(
      '(#100) Tried accessing nonexisting field (bogus) on node type (WhatsAppBusinessAccount)',
    )
  })

  it('pages phone_numbers with cursors and an absolute next URL', async () => {
    const s = await connectedSignup(sb, { options: { phoneNumberCount: 3 } })
    const first = await graph(`/v25.0/${s.wabaId}/phone_numbers?limit=2`, { token: s.token })
    const paging = first.body.paging as { cursors: { after: string }; next?: string }
    expect(first.body.data).toHaveLength(2)
    expect(paging.next).toMatch(new RegExp(`^${sb.graphUrl}/v25.0/${s.wabaId}/phone_numbers\\?`))
    const second = await graph(
      `/v25.0/${s.wabaId}/phone_numbers?limit=2&after=${paging.cursors.after}`,
      {
        token: s.token,
      },
    )
    expect(second.body.data).toHaveLength(1)
    expect((second.body.paging as { next?: string }).next).toBeUndefined()
  })

  it('reports health_status for a WABA node too', async () => {
    const s = await connectedSignup(sb)
    const res = await graph(`/v25.0/${s.wabaId}?fields=health_status`, { token: s.token })
    const health = res.body.health_status as { entities: Array<{ entity_type: string }> }
    expect(health.entities.map((e) => e.entity_type)).toEqual(['WABA', 'BUSINESS', 'APP'])
  })
})

describe('subscribed_apps', () => {
  it('subscribes with an optional override, lists and unsubscribes', async () => {
    const s = await connectedSignup(sb)
    const path = `/v25.0/${s.wabaId}/subscribed_apps`
    const json = { 'content-type': 'application/json' }
    const noVerify = await graph(path, {
      method: 'POST',
      token: s.token,
      headers: json,
      body: JSON.stringify({ override_callback_uri: 'https://example.test/hook' }),
    })
    expect(graphError(noVerify.body).code).toBe(100)
    const sub = await graph(path, {
      method: 'POST',
      token: s.token,
      headers: json,
      body: JSON.stringify({
        override_callback_uri: 'https://example.test/hook',
        verify_token: 'v',
      }),
    })
    expect(sub.body).toEqual({ success: true })
    const list = await graph(path, { token: s.token })
    expect(list.body).toEqual({
      data: [
        {
          whatsapp_business_api_data: {
            link: expect.any(String),
            name: 'Onboarding Sandbox App',
            id: APP_ID,
          },
          override_callback_uri: 'https://example.test/hook',
        },
      ],
    })
    expect((await graph(path, { method: 'DELETE', token: s.token })).body).toEqual({
      success: true,
    })
    expect((await graph(path, { token: s.token })).body).toEqual({ data: [] })
  })
})

describe('register', () => {
  const register = (phoneId: string, token: string, body: unknown) =>
    graph(`/v25.0/${phoneId}/register`, {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  it('validates messaging_product and a 6-digit pin, then keeps the PIN', async () => {
    const s = await connectedSignup(sb)
    const phone = s.phoneNumberId ?? ''
    expect(graphError((await register(phone, s.token, { pin: '123456' })).body).message).toContain(
      'messaging_product',
    )
    expect(
      graphError(
        (await register(phone, s.token, { messaging_product: 'whatsapp', pin: '12a456' })).body,
      ).code,
    ).toBe(100)
    expect(
      (await register(phone, s.token, { messaging_product: 'whatsapp', pin: '123456' })).body,
    ).toEqual({
      success: true,
    })
    const mismatch = await register(phone, s.token, {
      messaging_product: 'whatsapp',
      pin: '654321',
    })
    expect(graphError(mismatch.body).code).toBe(133005)
  })

  it("enforces Meta's 10 registrations per 72 hours (133016)", async () => {
    const s = await connectedSignup(sb)
    const body = { messaging_product: 'whatsapp', pin: '111111' }
    for (let i = 0; i < 10; i++) {
      expect((await register(s.phoneNumberId ?? '', s.token, body)).status).toBe(200)
    }
    expect(graphError((await register(s.phoneNumberId ?? '', s.token, body)).body).code).toBe(
      133016,
    )
    sb.clock.advance(72 * 60 * 60 * 1000)
    expect((await register(s.phoneNumberId ?? '', s.token, body)).status).toBe(200)
  })

  it('refuses to register a coexistence number, which is already registered', async () => {
    const r = await sb.signup({ scenario: 'coexistence' })
    const { accessToken } = await sb.client().exchangeCode(r.code ?? '')
    const res = await register(r.sandbox.phoneNumberIds[0] ?? '', accessToken, {
      messaging_product: 'whatsapp',
      pin: '123456',
    })
    expect(graphError(res.body).code).toBe(100)
  })
})

it('answers unknown paths with Graph error JSON', async () => {
  const s = await connectedSignup(sb)
  const res = await graph(`/v25.0/${s.wabaId}/a/b`, { token: s.token })
  expect(graphError(res.body).code).toBe(2500)
})

import { SANDBOX_EXPIRED_CODE, type SignupOptions } from '@onboard/meta-sandbox'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readBody, readData, readError, readList } from './support/responses'
import {
  completeSessionManually,
  createSession,
  finishWithExpiredCode,
  paramsOf,
  readSession,
} from './support/sessions'
import {
  type CallbackAnswer,
  callbackBody,
  completeWith,
  pageConfig,
  playSandbox,
  postCallback,
} from './support/signup'

// The hosted page and its callback serving a session: the same page and completion core as
// onboarding links, with Chirp's redirect (`status`, `state`, the five documented codes).

describe('session redirect flow over HTTP', () => {
  const api = useTestApi()
  const org = useOrganization(api, { scope: 'test' })

  it('success: redirect carries status=success and the state unchanged; GET shows WABA and phones', async () => {
    const state = 'abc123 csrf/?&=+token'
    const session = await createSession(api, org.test, {
      redirect_uri: 'https://yourapp.com/whatsapp/callback?tenant=7',
      state,
      metadata: { externalUserId: 'user_123' },
      prefill: { business: { name: 'Acme Corp' }, phone: { displayName: 'Acme Support' } },
    })
    const config = await pageConfig(api, session.id)
    expect(config.extras.setup).toMatchObject({
      business: { name: 'Acme Corp' },
      phone: { displayName: 'Acme Support' },
    })
    expect(config).toMatchObject({
      returnOnCancel: true,
      callbackUrl: `/signup/${session.id}/callback`,
    })

    const { res, body } = await completeWith(api, session.id, 'success')
    expect(res.status).toBe(200)
    expect(body.data.status).toBe('success')
    const url = new URL(body.data.redirectUrl)
    expect(url.origin + url.pathname).toBe('https://yourapp.com/whatsapp/callback')
    expect(paramsOf(body.data.redirectUrl)).toEqual({ tenant: '7', status: 'success', state })
    expect(body.data.redirectUrl).not.toContain('user_123')

    const got = await readSession(api, org.test, session.id)
    expect(got).toMatchObject({
      id: session.id,
      status: 'completed',
      completed_via: 'redirect',
      state,
      metadata: { externalUserId: 'user_123' },
      error: null,
      meta_install: null,
    })
    expect(got.business_profile_id).toMatch(/^wabp_/)
    expect(got.phone_numbers).toHaveLength(1)
    expect(got.phone_numbers[0]).toMatchObject({ is_registered: true })
    const waba = await readData(
      await api.request(`/v1/wabas/${got.waba_id}`, { key: org.test }),
      'waba',
    )
    expect(waba).toMatchObject({
      metaWabaId: got.meta_waba_id,
      metadata: { externalUserId: 'user_123' },
    })
    const phone = await readData(
      await api.request(`/v1/phones/${got.phone_numbers[0]?.id}`, { key: org.test }),
      'phoneDetail',
    )
    expect(phone.metadata).toEqual({ externalUserId: 'user_123' })
  })

  it('records phone_number.connected with the session id, delivered to subscribed endpoints', async () => {
    const endpoint = await api.request('/v1/outgoing-webhooks', {
      method: 'POST',
      key: org.test,
      json: { url: 'http://127.0.0.1:9/hook', events: ['phone_number.connected'] },
    })
    expect(endpoint.status).toBe(201)
    const session = await createSession(api, org.test, { metadata: { externalUserId: 'u_9' } })
    expect((await completeWith(api, session.id, 'success')).res.status).toBe(200)
    const got = await readSession(api, org.test, session.id)
    const event = await api.core.db
      .selectFrom('events')
      .selectAll()
      .where('organization_id', '=', org.id)
      .executeTakeFirstOrThrow()
    expect(event.type).toBe('phone_number.connected')
    expect(JSON.parse(event.payload).data).toMatchObject({
      signupSessionId: session.id,
      metadata: { externalUserId: 'u_9' },
      businessProfileId: got.business_profile_id,
      wabaId: got.waba_id,
      phoneNumberId: got.phone_numbers[0]?.id,
      isPhoneRegistered: true,
    })
    const deliveries = await api.core.db
      .selectFrom('webhook_deliveries')
      .select('event_id')
      .where('organization_id', '=', org.id)
      .execute()
    expect(deliveries).toEqual([{ event_id: event.id }])
  })

  it('app-scheme redirect_uri: myapp://whatsapp/callback?status=success&state=…', async () => {
    const session = await createSession(api, org.test, {
      redirect_uri: 'myapp://whatsapp/callback',
      state: 'mobile-csrf-token',
    })
    const { body } = await completeWith(api, session.id, 'success')
    expect(body.data.redirectUrl).toBe(
      'myapp://whatsapp/callback?status=success&state=mobile-csrf-token',
    )
  })

  const failures: [string, string, Partial<SignupOptions>, string][] = [
    ['code_expired', 'success', { expiredCode: true }, 'failed'],
    ['meta_api_error', 'success', { rateLimit: 'waba' as const }, 'failed'],
    ['signup_failed', 'error', {}, 'failed'],
    ['signup_failed', 'cancel', {}, 'cancelled'],
  ]
  it.each(failures)(
    'maps failures onto %s (%s %j); the session ends %s',
    async (code, scenario, options, status) => {
      const session = await createSession(api, org.test, { state: 's-1' })
      const { res, body } = await completeWith(api, session.id, scenario, options)
      const redirectUrl = body.redirectUrl ?? body.data?.redirectUrl
      expect(paramsOf(redirectUrl)).toEqual({ status: 'error', state: 's-1', error: code })
      if (status === 'failed') expect(res.status).toBeGreaterThanOrEqual(400)
      const got = await readSession(api, org.test, session.id)
      expect(got).toMatchObject({ status, error: { code } })
      expect(got.phone_numbers).toEqual([])
      // An ended session's page sends the end-user back with the same result.
      const page = await api.request(`/signup/${session.id}`)
      expect(page.status).toBe(410)
      const html = await page.text()
      expect(html).toContain('This signup has ended')
      expect(html).toContain(`error=${code}`)
    },
  )

  it('waba_already_connected when the WABA is already connected to this organisation', async () => {
    const first = await createSession(api, org.test)
    expect((await completeWith(api, first.id, 'success', { sharedWaba: true })).res.status).toBe(
      200,
    )
    const second = await createSession(api, org.test, { state: 'second' })
    const { res, body } = await completeWith(api, second.id, 'success', { sharedWaba: true })
    expect(res.status).toBe(409)
    expect(paramsOf(body.redirectUrl)).toEqual({
      status: 'error',
      state: 'second',
      error: 'waba_already_connected',
    })
  })

  it('one-time use: a second completion is refused and the page says it was used', async () => {
    const session = await createSession(api, org.test)
    const { nonce } = await pageConfig(api, session.id)
    const first = await postCallback(
      api,
      session.id,
      callbackBody(nonce, await playSandbox(api, 'success')),
    )
    expect(first.status).toBe(200)
    const again = await postCallback(
      api,
      session.id,
      callbackBody(nonce, await playSandbox(api, 'success')),
    )
    expect(again.status).toBe(409)
    expect((await readError(again)).code).toBe('session_already_completed')
    const page = await api.request(`/signup/${session.id}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('This link has already been used')
    expect(html).not.toContain('signup-config')
  })

  it('two racing callbacks: exactly one completes', async () => {
    const session = await createSession(api, org.test)
    const { nonce } = await pageConfig(api, session.id)
    const [a, b] = await Promise.all([playSandbox(api, 'success'), playSandbox(api, 'success')])
    const replies = await Promise.all([
      postCallback(api, session.id, callbackBody(nonce, a)),
      postCallback(api, session.id, callbackBody(nonce, b)),
    ])
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409])
    const wabas = await api.core.db
      .selectFrom('wabas')
      .select('id')
      .where('organization_id', '=', org.id)
      .execute()
    expect(wabas).toHaveLength(1)
  })

  it('expired: the page says so (410) with the way back, and a callback redirects with session_expired', async () => {
    const session = await createSession(api, org.test, { state: 'late' })
    const { nonce } = await pageConfig(api, session.id)
    const result = await playSandbox(api, 'success')
    api.database.setNow(new Date(Date.parse(session.expires_at) + 1000))
    try {
      const page = await api.request(`/signup/${session.id}`)
      expect(page.status).toBe(410)
      const html = await page.text()
      expect(html).toContain('only work for 15 minutes')
      expect(html).toContain('status=error&amp;state=late&amp;error=session_expired')
      const res = await postCallback(api, session.id, callbackBody(nonce, result))
      expect(res.status).toBe(410)
      const body = await readBody<CallbackAnswer>(res)
      expect(body.error.code).toBe('session_expired')
      expect(paramsOf(body.redirectUrl)).toEqual({
        status: 'error',
        state: 'late',
        error: 'session_expired',
      })
      expect((await readSession(api, org.test, session.id)).status).toBe('expired')
    } finally {
      api.database.setNow(new Date())
    }
  })

  it('GET never changes a session, and an unknown or malformed id is a 404 page', async () => {
    const session = await createSession(api, org.test)
    const before = await readSession(api, org.test, session.id)
    for (let i = 0; i < 3; i++)
      expect((await api.request(`/signup/${session.id}`)).status).toBe(200)
    expect(await readSession(api, org.test, session.id)).toEqual(before)
    expect((await api.request('/signup/wss_0000000000000000000000')).status).toBe(404)
    expect((await api.request('/signup/wss_%27%20or%201=1')).status).toBe(404)
  })

  it('a deleted session cannot be completed through its page', async () => {
    const session = await createSession(api, org.test)
    const { nonce } = await pageConfig(api, session.id)
    const deleted = await api.request(`/v1/organization/embedded-signup/sessions/${session.id}`, {
      method: 'DELETE',
      key: org.test,
    })
    expect(deleted.status).toBe(204)
    const res = await postCallback(
      api,
      session.id,
      callbackBody(nonce, await playSandbox(api, 'success')),
    )
    expect(res.status).toBe(404)
  })

  it('an expired Meta code posted to the page callback is code_expired', async () => {
    const session = await createSession(api, org.test, { state: 'x' })
    const { nonce } = await pageConfig(api, session.id)
    const result = await playSandbox(api, 'success')
    const res = await postCallback(api, session.id, {
      ...callbackBody(nonce, result),
      code: SANDBOX_EXPIRED_CODE,
    })
    expect(paramsOf((await readBody<CallbackAnswer>(res)).redirectUrl).error).toBe('code_expired')
  })
})

describe('a session deleted while its completion talks to Meta', () => {
  /** Runs when our app subscribes to the WABA on Meta: mid-completion, before anything is stored. */
  let duringSubscribe: (() => Promise<void>) | null = null
  const api = useTestApi({
    customize: (deps) => {
      const sandbox = deps.sandbox
      if (!sandbox) throw new Error('the harness passes its sandbox')
      // The real sandbox behind a door that lets the test act at one Graph call.
      const app = new Hono()
      app.all('*', async (c) => {
        if (c.req.method === 'POST' && c.req.path.endsWith('/subscribed_apps')) {
          await duringSubscribe?.()
        }
        return sandbox.app.fetch(c.req.raw)
      })
      return { ...deps, sandbox: { ...sandbox, app } }
    },
  })

  it('is a 404 not_found, through its page and through /complete, not "already completed"', async () => {
    const org = await api.createOrganization()
    const deleteDuringSubscribe = (id: string) => {
      duringSubscribe = async () => {
        duringSubscribe = null
        const res = await api.request(`/v1/organization/embedded-signup/sessions/${id}`, {
          method: 'DELETE',
          key: org.test,
        })
        expect(res.status).toBe(204)
      }
    }

    const viaPage = await createSession(api, org.test)
    deleteDuringSubscribe(viaPage.id)
    const page = await completeWith(api, viaPage.id, 'success')
    expect(page.res.status).toBe(404)
    expect(page.body.error.code).toBe('not_found')

    const viaComplete = await createSession(api, org.test)
    const meta = await playSandbox(api, 'success')
    await finishWithExpiredCode(api, viaComplete.id, meta)
    deleteDuringSubscribe(viaComplete.id)
    const manual = await completeSessionManually(api, org.test, viaComplete.id, meta.wabaId)
    expect(manual.status).toBe(404)
    expect((await readError(manual)).code).toBe('not_found')
    const wabas = await readList(await api.request('/v1/wabas', { key: org.test }), 'waba')
    expect(wabas.data).toEqual([])
  })
})

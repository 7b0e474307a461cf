import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SANDBOX_APP_ID } from '@onboard/meta-sandbox'
import { describe, expect, it } from 'vitest'
import type { TestApi } from '../support/harness'
import { readList } from '../support/responses'
import { createSession, PROFILE_CALLBACK, paramsOf, readSession } from '../support/sessions'
import { connectWith, screenshot, useBrowserSuite } from './support'

/**
 * A customer's own page for the popup flow, on its own 127.0.0.1 origin: it loads the sandbox
 * SDK from the API, runs FB.login, and posts the code to its backend, which calls our
 * business-profiles callback with its secret key (the key never reaches the browser).
 */
function customerPage(sdkUrl: string): string {
  return `<!doctype html><meta charset="utf-8"><title>Customer dashboard</title>
<h1>Connect WhatsApp</h1><button id="connect" disabled>Connect WhatsApp</button><pre id="result"></pre>
<script>
  const sdkOrigin = new URL(${JSON.stringify(sdkUrl)}).origin
  let code = null, event = null, posted = false
  function finish() {
    if (posted || !code || !event) return
    posted = true
    fetch('/connect', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, wabaId: event.data.waba_id, phoneNumberId: event.data.phone_number_id, businessId: event.data.business_id }),
    }).then((r) => r.json()).then((profile) => { document.getElementById('result').textContent = JSON.stringify(profile) })
  }
  window.addEventListener('message', (e) => {
    if (e.origin !== sdkOrigin || typeof e.data !== 'string') return
    try { const m = JSON.parse(e.data); if (m.type === 'WA_EMBEDDED_SIGNUP') { event = m; finish() } } catch {}
  })
  window.fbAsyncInit = () => {
    FB.init({ appId: ${JSON.stringify(SANDBOX_APP_ID)}, autoLogAppEvents: true, xfbml: true, version: 'v25.0' })
    document.getElementById('connect').disabled = false
  }
  document.getElementById('connect').addEventListener('click', () => {
    FB.login(function (response) { code = response.authResponse && response.authResponse.code; finish() }, {
      config_id: 'customer-config', response_type: 'code', override_default_response_type: true,
      extras: { setup: {}, sessionInfoVersion: '3' },
    })
  })
</script>
<script async defer crossorigin="anonymous" src="${sdkUrl}"></script>`
}

async function startCustomerApp(api: TestApi, key: string) {
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'POST' && req.url === '/connect') {
      let body = ''
      for await (const chunk of req) body += chunk
      const reply = await api.request(PROFILE_CALLBACK, {
        method: 'POST',
        key,
        json: JSON.parse(body),
      })
      res.writeHead(reply.status, { 'content-type': 'application/json' })
      res.end(await reply.text())
      return
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(customerPage(`${api.url}/__sandbox/sdk.js`))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

describe('embedded-signup sessions and the popup flow in a real browser', () => {
  const s = useBrowserSuite()

  it('redirect flow: back on redirect_uri with status=success and the state unchanged; a second use is refused', async () => {
    const state = 'csrf 123/&=?+ünï'
    const session = await createSession(s.api, s.org.test, {
      redirect_uri: `${s.receiver.url}/whatsapp/callback?tenant=7`,
      state,
      metadata: { externalUserId: 'user_123' },
      prefill: { business: { name: 'Acme Corp' } },
    })
    await s.page.goto(session.url)
    await expect(s.page.locator('h1').textContent()).resolves.toBe('Acme Corp')
    await s.page.locator('#connect:enabled').waitFor()
    await screenshot(s.page, 'sessions-01-pending')
    await connectWith(s.page, { scenario: 'success' })
    await s.page.waitForURL((url) => url.href.startsWith(`${s.receiver.url}/whatsapp/callback`))
    expect(paramsOf(s.page.url())).toEqual({ tenant: '7', status: 'success', state })
    expect(s.page.url()).not.toContain('user_123')
    expect((await readSession(s.api, s.org.test, session.id)).status).toBe('completed')

    // One-time use: the URL now says it was used and offers only the way back.
    const again = await s.page.goto(session.url)
    expect(again?.status()).toBe(200)
    await expect(s.page.locator('h1').textContent()).resolves.toBe(
      'This link has already been used',
    )
    expect(await s.page.locator('#connect').count()).toBe(0)
    await screenshot(s.page, 'sessions-02-already-used')
    expect(s.problems).toEqual([])
  })

  it('app-scheme redirect_uri: the navigation request goes to myapp://…?status=success&state=…', async () => {
    const session = await createSession(s.api, s.org.test, {
      redirect_uri: 'myapp://whatsapp/callback',
      state: 'mobile-csrf-token',
    })
    // Chromium hands unknown schemes to the OS, so the request is the thing to check.
    const cdp = await s.context.newCDPSession(s.page)
    await cdp.send('Page.enable')
    const navigated = new Promise<string>((resolve) => {
      cdp.on('Page.frameRequestedNavigation', (event) => {
        if (event.url.startsWith('myapp:')) resolve(event.url)
      })
    })
    await s.page.goto(session.url)
    await connectWith(s.page, { scenario: 'success', order: 'callback-first' })
    const url = await Promise.race([
      navigated,
      new Promise<string>((_, reject) =>
        setTimeout(() => reject(new Error('no navigation to myapp://')), 10_000),
      ),
    ])
    expect(url).toBe('myapp://whatsapp/callback?status=success&state=mobile-csrf-token')
  })

  it('cancel: the end-user is sent back with status=error&error=signup_failed', async () => {
    const session = await createSession(s.api, s.org.test, {
      redirect_uri: `${s.receiver.url}/cb`,
      state: 'c-1',
    })
    await s.page.goto(session.url)
    await connectWith(s.page, { scenario: 'cancel' })
    await s.page.waitForURL((url) => url.href.startsWith(`${s.receiver.url}/cb`))
    expect(paramsOf(s.page.url())).toEqual({
      status: 'error',
      state: 'c-1',
      error: 'signup_failed',
    })
    expect((await readSession(s.api, s.org.test, session.id)).status).toBe('cancelled')
  })

  it('expired: the s.page says so, and its way back carries error=session_expired', async () => {
    const session = await createSession(s.api, s.org.test, {
      redirect_uri: `${s.receiver.url}/cb`,
      state: 'late-state',
    })
    s.api.database.setNow(new Date(Date.parse(session.expires_at) + 1000))
    try {
      const res = await s.page.goto(session.url)
      expect(res?.status()).toBe(410)
      await expect(s.page.locator('h1').textContent()).resolves.toBe('This link has expired')
      await screenshot(s.page, 'sessions-03-expired')
      await s.page.click('#return')
      await s.page.waitForURL((url) => url.href.startsWith(`${s.receiver.url}/cb`))
      expect(paramsOf(s.page.url())).toEqual({
        status: 'error',
        state: 'late-state',
        error: 'session_expired',
      })
    } finally {
      s.api.database.setNow(new Date())
    }
  })

  it('popup flow: a customer s.page on 127.0.0.1 runs the sandbox SDK and posts the code to the callback', async () => {
    const customer = await startCustomerApp(s.api, s.org.test)
    try {
      await s.page.goto(customer.url)
      await screenshot(s.page, 'sessions-04-customer-page')
      await connectWith(s.page, { scenario: 'success' })
      const result = s.page.locator('#result')
      await s.page.waitForFunction(() => document.getElementById('result')?.textContent !== '')
      const profile = JSON.parse((await result.textContent()) ?? '{}')
      expect(profile).toMatchObject({ organizationId: s.org.id, isTestProfile: true })
      expect(profile.id).toMatch(/^wabp_/)
      expect(profile.phoneNumbers).toHaveLength(1)
      const wabas = await readList(await s.api.request('/v1/wabas', { key: s.org.test }), 'waba')
      expect(wabas.data.map((w) => w.metaWabaId)).toEqual([profile.metaWabaId])
      expect(s.problems).toEqual([])
    } finally {
      await customer.close()
    }
  })
})

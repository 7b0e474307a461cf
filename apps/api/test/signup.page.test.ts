import { createHmac } from 'node:crypto'
import { deriveKeys, links } from '@onboard/core'
import { TEST_ENCRYPTION_KEY, testCreationRules } from '@onboard/core/testing'
import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { createLink, pageConfig } from './support/signup'

describe('hosted signup page', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  it('renders a pending link with strict security headers and one Connect button', async () => {
    const link = await createLink(api, org.test)
    const res = await api.request(`/signup/${link.id}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toContain('facebook')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('cache-control')).toBe('no-store')
    const html = await res.text()
    expect(html).toContain('<h1 id="title" data-field="link-name">Acme Corp</h1>')
    expect(html.match(/<button/g)?.length).toBe(2) // Connect, and the hidden "Try again"
    expect(html).toContain('Connect WhatsApp')
    expect(html).toContain('Test mode')
    expect(html).not.toMatch(/<script>(?!<\/script>)/) // no inline executable script
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"' ]+\.(css|woff2?|ttf)/)
  })

  it('builds FB.login options from the link', async () => {
    const link = await createLink(api, org.test, {
      prefill: {
        business: { name: 'Acme', address: { country: 'US' } },
        phone: { displayName: 'Acme' },
      },
      preVerifiedPhoneIds: ['106540352242922'],
      allowCoexistence: true,
    })
    const config = await pageConfig(api, link.id)
    expect(config).toMatchObject({
      mode: 'test',
      sdkUrl: '/__sandbox/en_US/sdk.js',
      callbackUrl: `/signup/${link.id}/callback`,
      extras: {
        setup: {
          business: { name: 'Acme', address: { country: 'US' } },
          phone: { displayName: 'Acme' },
          preVerifiedPhone: { ids: ['106540352242922'] },
        },
        featureType: 'whatsapp_business_app_onboarding',
        sessionInfoVersion: '3',
      },
    })
    expect(config.nonce).toMatch(/^\d{13}\./)
    // The nonce's HMAC key is derived for that purpose alone: it is no MAC under the
    // configured key nor under the key that encrypts secrets at rest.
    const [issuedAt, mac] = config.nonce.split('.')
    const raw = Buffer.from(TEST_ENCRYPTION_KEY, 'base64')
    for (const key of [raw, deriveKeys(raw).atRestKey]) {
      const under = createHmac('sha256', key)
        .update(`signup-nonce:v1:${link.id}:${issuedAt}`)
        .digest('base64url')
      expect(mac).not.toBe(under)
    }
    const plain = await pageConfig(api, (await createLink(api, org.test)).id)
    expect(plain.extras).toEqual({ setup: {}, featureType: '', sessionInfoVersion: '3' })
  })

  it('escapes a name with markup everywhere it appears', async () => {
    const name = '<img src=x onerror=alert(1)></script><script>alert(2)</script>'
    const link = await createLink(api, org.test, { name })
    const html = await (await api.request(`/signup/${link.id}`)).text()
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<script>alert(2)')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })

  it('keeps markup in the prefill inert inside the embedded page config', async () => {
    const evil = '</script><script>alert(1)</script>'
    const link = await createLink(api, org.test, { prefill: { business: { name: evil } } })
    const html = await (await api.request(`/signup/${link.id}`)).text()
    expect(html).not.toContain('<script>alert(1)')
    expect((await pageConfig(api, link.id)).extras.setup.business?.name).toBe(evil)
  })

  it('answers 404 for unknown, malformed and deleted links, 410 for expired ones', async () => {
    expect((await api.request('/signup/00000000-0000-4000-8000-000000000000')).status).toBe(404)
    const bad = await api.request('/signup/not-a-uuid')
    expect(bad.status).toBe(404)
    expect(bad.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(await bad.text()).toContain('This link does not work')

    const deleted = await createLink(api, org.test)
    await api.request(`/v1/onboarding-links/${deleted.id}`, { method: 'DELETE', key: org.test })
    expect((await api.request(`/signup/${deleted.id}`)).status).toBe(404)

    const expiring = await createLink(api, org.test, { expiresInSeconds: 900 })
    api.database.setNow(new Date(Date.parse(expiring.expiresAt) + 1000))
    const expired = await api.request(`/signup/${expiring.id}`)
    expect(expired.status).toBe(410)
    expect(await expired.text()).toContain('This link has expired')
  })

  it('says the service is not configured for a live link without Meta credentials', async () => {
    // Created while the service had a Meta app (the API refuses it now: meta_not_configured).
    const link = await links.createOnboardingLink(
      api.core,
      testCreationRules(),
      { organizationId: org.id, mode: 'live' },
      { name: 'Made before the Meta app was removed' },
    )
    const res = await api.request(`/signup/${link.id}`)
    expect(res.status).toBe(503)
    const html = await res.text()
    expect(html).toContain('not configured')
    expect(html).not.toContain('signup-config')
  })

  it('never changes the link when the page is opened', async () => {
    const link = await createLink(api, org.test)
    const before = await api.core.db
      .selectFrom('onboarding_links')
      .selectAll()
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow()
    for (let i = 0; i < 3; i++) await api.request(`/signup/${link.id}`)
    await api.request(`/signup/${link.id}`, { method: 'HEAD' })
    const after = await api.core.db
      .selectFrom('onboarding_links')
      .selectAll()
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow()
    expect(after).toEqual(before)
    const attempts = await api.core.db.selectFrom('signup_attempts').selectAll().execute()
    expect(attempts).toEqual([])
  })

  it('serves its script and styles from our origin', async () => {
    const js = await api.request('/assets/signup.js')
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toMatch(/javascript/)
    expect(await js.text()).toContain('WA_EMBEDDED_SIGNUP')
    const css = await api.request('/assets/signup.css')
    expect(css.headers.get('content-type')).toMatch(/text\/css/)
  })
})

describe('hosted signup page with a Meta app configured', () => {
  const api = useTestApi({
    env: {
      META_APP_ID: '1234567890',
      META_APP_SECRET: 'live-secret',
      META_CONFIG_ID: '998877',
      META_SOLUTION_ID: '55555',
    },
  })
  const org = useOrganization(api)

  it('passes META_SOLUTION_ID and loads the Facebook SDK for live links when Meta is configured', async () => {
    const link = await createLink(api, org.live)
    const res = await api.request(`/signup/${link.id}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain(
      "script-src 'self' https://connect.facebook.net",
    )
    const config = await pageConfig(api, link.id)
    expect(config).toMatchObject({
      mode: 'live',
      sdkUrl: 'https://connect.facebook.net/en_US/sdk.js',
      appId: '1234567890',
      configId: '998877',
      extras: { setup: { solutionID: '55555' } },
    })
  })
})

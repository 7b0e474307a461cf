import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError, readList } from './support/responses'
import { SESSIONS } from './support/sessions'

/**
 * Every spelling WHATWG URL parsing turns into a private, loopback or link-local address, and
 * the localhost names.
 */
const PRIVATE_LITERALS = [
  'https://127.0.0.1/h',
  'http://127.0.0.1:8080/h',
  'https://[::1]/h',
  'https://2130706433/h',
  'https://0x7f000001/h',
  'https://0177.0.0.1/h',
  'https://127.1/h',
  'https://169.254.169.254/latest/meta-data',
  'https://[::ffff:127.0.0.1]/h',
  'https://10.0.0.5/h',
  'https://192.168.1.1/h',
  'https://[fe80::1]/h',
  'https://0.0.0.0/h',
  'https://[::ffff:0:127.0.0.1]/h',
  // Names that always mean loopback (RFC 6761), in any case and with trailing dots.
  'http://localhost/x',
  'http://localhost:3000/h',
  'https://LOCALHOST./x',
  'https://localhost../x',
  'https://foo.localhost/x',
  'https://a.b.Localhost./x',
]

describe('creation guards: webhook targets that can never be delivered', () => {
  const api = useTestApi({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' } })
  const org = useOrganization(api, { scope: 'test' })

  const endpointCount = async () =>
    (await readList(await api.request('/v1/outgoing-webhooks', { key: org.test }), 'endpoint'))
      .pagination.total

  it('refuses a private IP literal in any spelling at creation, naming url', async () => {
    for (const url of PRIVATE_LITERALS) {
      const res = await api.request('/v1/outgoing-webhooks', {
        method: 'POST',
        key: org.test,
        json: { url, events: ['message.received'] },
      })
      expect(res.status, url).toBe(400)
      const error = await readError(res)
      expect(error.code).toBe('validation_error')
      expect(error.details?.[0]?.field, url).toBe('url')
      expect(error.details?.[0]?.message).toMatch(/private, loopback, link-local or reserved/)
    }
    expect(await endpointCount()).toBe(0)
  })

  it('refuses the http spellings of localhost names too (http is for localhost only)', async () => {
    for (const url of ['http://LOCALHOST./x', 'http://foo.localhost/x', 'http://localhost./x']) {
      const res = await api.request('/v1/outgoing-webhooks', {
        method: 'POST',
        key: org.test,
        json: { url, events: ['message.received'] },
      })
      expect(res.status, url).toBe(400)
      expect((await readError(res)).details?.[0]?.field, url).toBe('url')
    }
    expect(await endpointCount()).toBe(0)
  })

  it('refuses one at update, changing nothing', async () => {
    const created = await api.request('/v1/outgoing-webhooks', {
      method: 'POST',
      key: org.test,
      json: { url: 'https://hooks.example.com/h', events: ['message.received'] },
    })
    expect(created.status).toBe(201)
    const id = (await readData(created, 'endpoint')).id
    for (const url of PRIVATE_LITERALS) {
      const res = await api.request(`/v1/outgoing-webhooks/${id}`, {
        method: 'PATCH',
        key: org.test,
        json: { url, description: 'changed' },
      })
      expect(res.status, url).toBe(400)
      expect((await readError(res)).details?.[0]?.field).toBe('url')
    }
    const read = await readData(
      await api.request(`/v1/outgoing-webhooks/${id}`, { key: org.test }),
      'endpoint',
    )
    expect(read.url).toBe('https://hooks.example.com/h')
    expect(read.description).toBeNull()
  })

  it("refuses one as a link's webhookUrl, creating no link", async () => {
    for (const url of PRIVATE_LITERALS) {
      const res = await api.request('/v1/onboarding-links', {
        method: 'POST',
        key: org.test,
        json: { name: 'Acme', webhookUrl: url, webhookEvents: ['phone_number.connected'] },
      })
      expect(res.status, url).toBe(400)
      expect((await readError(res)).details?.[0]?.field).toBe('webhookUrl')
    }
    const links = await readList(
      await api.request('/v1/onboarding-links', { key: org.test }),
      'link',
    )
    expect(links.pagination.total).toBe(0)
  })

  it('still accepts public literals and host names (names are checked when connecting)', async () => {
    for (const url of [
      'https://93.184.215.14/h',
      'https://hooks.example.com/h',
      'https://localhost.example.com/h',
    ]) {
      const res = await api.request('/v1/outgoing-webhooks', {
        method: 'POST',
        key: org.test,
        json: { url, events: ['message.received'] },
      })
      expect(res.status, url).toBe(201)
    }
  })
})

describe('creation guards: private targets allowed', () => {
  const api = useTestApi({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } })
  const org = useOrganization(api)

  it('accepts a loopback receiver when WEBHOOK_ALLOW_PRIVATE_TARGETS=true', async () => {
    const res = await api.request('/v1/outgoing-webhooks', {
      method: 'POST',
      key: org.test,
      json: { url: 'http://127.0.0.1:9/h', events: ['message.received'] },
    })
    expect(res.status).toBe(201)
  })
})

describe('creation guards: live mode without a Meta app', () => {
  // The harness configures no META_APP_ID/SECRET/CONFIG_ID: live mode has no Meta app.
  const api = useTestApi()
  const org = useOrganization(api, { scope: 'test' })

  it('refuses a live link with 409 meta_not_configured, creating nothing', async () => {
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.live,
      json: { name: 'Acme' },
    })
    const error = await readError(res, 409)
    expect(error.code).toBe('meta_not_configured')
    expect(error.message).toMatch(/META_APP_ID, META_APP_SECRET and META_CONFIG_ID/)
    const links = await readList(
      await api.request('/v1/onboarding-links', { key: org.live }),
      'link',
    )
    expect(links.pagination.total).toBe(0)
    // Test mode runs on the sandbox and is unaffected.
    const test = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: { name: 'Acme' },
    })
    expect(test.status).toBe(201)
  })

  it('refuses a live session the same way', async () => {
    const body = { redirect_uri: 'https://example.com/cb', state: 's' }
    const res = await api.request(SESSIONS, { method: 'POST', key: org.live, json: body })
    expect((await readError(res, 409)).code).toBe('meta_not_configured')
    const sessions = await readList(await api.request(SESSIONS, { key: org.live }), 'session')
    expect(sessions.pagination.total).toBe(0)
    expect(
      (await api.request(SESSIONS, { method: 'POST', key: org.test, json: body })).status,
    ).toBe(201)
  })
})

describe('creation guards: live mode with a Meta app', () => {
  const api = useTestApi({
    env: { META_APP_ID: '1234567890', META_APP_SECRET: 'secret', META_CONFIG_ID: '42' },
  })
  const org = useOrganization(api)

  it('creates live links and sessions when the Meta app is configured', async () => {
    const link = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.live,
      json: { name: 'Acme' },
    })
    expect(link.status).toBe(201)
    const session = await api.request(SESSIONS, {
      method: 'POST',
      key: org.live,
      json: { redirect_uri: 'https://example.com/cb', state: 's' },
    })
    expect(session.status).toBe(201)
  })
})

import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData } from './support/responses'

const seedExample = {
  name: 'Acme Corp',
  externalId: 'customer-123',
  metadata: { customerId: 'customer-123', locationCode: 'store-01', crmAccountId: 'crm_789' },
  redirectUrl: 'https://myapp.com/whatsapp/callback',
  webhookUrl: 'https://myapp.com/webhooks/whatsapp',
  webhookSecret: 'whsec_my_secret_key_123',
  webhookEvents: ['message.received', 'message.sent'],
}

describe('onboarding links: happy paths', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  it('accepts the seed example body as is and answers 201 with every documented field', async () => {
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: seedExample,
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('x-request-id')).toMatch(/^req_/)
    const data = await readData(res, 'link')
    expect(data).toMatchObject({
      name: 'Acme Corp',
      status: 'pending',
      externalId: 'customer-123',
      metadata: seedExample.metadata,
      redirectUrl: seedExample.redirectUrl,
      hostedUrl: `${api.url}/signup/${data.id}`,
      phoneNumberId: null,
      phoneNumber: null,
      wabaId: null,
      isPhoneRegistered: null,
      webhookUrl: seedExample.webhookUrl,
      webhookSecret: seedExample.webhookSecret,
      webhookEvents: seedExample.webhookEvents,
      completedAt: null,
    })
    expect(data.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(Date.parse(data.expiresAt) - Date.parse(data.createdAt)).toBe(30 * 24 * 3600 * 1000)
  })

  it('never returns the webhook secret after creation, and stores it encrypted', async () => {
    const created = await readData(
      await api.request('/v1/onboarding-links', {
        method: 'POST',
        key: org.test,
        json: seedExample,
      }),
      'link',
    )
    const got = await readData(
      await api.request(`/v1/onboarding-links/${created.id}`, { key: org.test }),
      'link',
    )
    expect(got).not.toHaveProperty('webhookSecret')
    expect(got.id).toBe(created.id)
    const row = await api.core.db
      .selectFrom('onboarding_links')
      .select('webhook_secret_enc')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow()
    expect(row.webhook_secret_enc).not.toContain('my_secret_key')
  })

  it('generates a webhook secret, shown once, when webhookUrl comes without one', async () => {
    const { webhookSecret: _omitted, ...withoutSecret } = seedExample
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: withoutSecret,
    })
    const data = await readData(res, 'link')
    expect(data.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    const got = await readData(
      await api.request(`/v1/onboarding-links/${data.id}`, { key: org.test }),
      'link',
    )
    expect(got).not.toHaveProperty('webhookSecret')
    const plain = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: { name: 'No hook' },
    })
    expect(await readData(plain, 'link')).not.toHaveProperty('webhookSecret')
  })

  it('honours expiresInSeconds and reads a link past its expiry as expired', async () => {
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: { name: 'Short', expiresInSeconds: 900 },
    })
    const data = await readData(res, 'link')
    expect(Date.parse(data.expiresAt) - Date.parse(data.createdAt)).toBe(900_000)
    api.database.setNow(new Date(Date.parse(data.expiresAt) + 1000))
    const got = await readData(
      await api.request(`/v1/onboarding-links/${data.id}`, { key: org.test }),
      'link',
    )
    expect(got.status).toBe('expired')
  })

  it('echoes a valid incoming X-Request-Id', async () => {
    const res = await api.request('/healthz', { headers: { 'x-request-id': 'my-trace-12345' } })
    expect(res.headers.get('x-request-id')).toBe('my-trace-12345')
  })

  it('carries X-Request-Id on error answers too (401, 404, 400, unknown route)', async () => {
    const answers = [
      await api.request('/v1/onboarding-links'),
      await api.request('/v1/onboarding-links/unknown', { key: org.test }),
      await api.request('/v1/onboarding-links', { method: 'POST', key: org.test, json: {} }),
      await api.request('/nowhere'),
    ]
    expect(answers.map((res) => res.status)).toEqual([401, 404, 400, 404])
    for (const res of answers) expect(res.headers.get('x-request-id')).toMatch(/^req_/)
  })
})

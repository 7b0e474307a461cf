import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData } from './support/responses'

describe('GET /metrics', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  it('counts requests by route pattern, method and status, without an API key', async () => {
    const created = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: { name: 'Acme Corp' },
    })
    expect(created.status).toBe(201)
    const data = await readData(created, 'link')
    expect((await api.request(`/v1/onboarding-links/${data.id}`, { key: org.test })).status).toBe(
      200,
    )
    expect((await api.request('/v1/onboarding-links/no-such-link', { key: org.test })).status).toBe(
      404,
    )
    expect((await api.request(`/signup/${data.id}`)).status).toBe(200)

    const res = await api.request('/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await res.text()
    const count = (method: string, route: string, status: number) =>
      new RegExp(
        `onboard_http_request_duration_seconds_count\\{method="${method}",route="${route.replaceAll('/', '\\/')}",status="${status}"\\} (\\d+)`,
      ).exec(text)?.[1]
    expect(count('POST', '/v1/onboarding-links', 201)).toBe('1')
    expect(count('GET', '/v1/onboarding-links/:id', 200)).toBe('1')
    expect(count('GET', '/v1/onboarding-links/:id', 404)).toBe('1')
    expect(count('GET', '/signup/:id', 200)).toBe('1')
    expect(text).toMatch(/onboard_http_request_duration_seconds_bucket\{le="0.005",/)
  })

  it('names no tenant: no organisation id, no object id, no raw path', async () => {
    const created = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: { name: 'Acme Corp', externalId: 'customer-123' },
    })
    const data = await readData(created, 'link')
    await api.request(`/v1/onboarding-links/${data.id}`, { key: org.test })
    await api.request(`/signup/${data.id}`)
    await api.request('/no/such/path/customer-123')
    const text = await (await api.request('/metrics')).text()
    expect(text).not.toContain(org.id)
    expect(text).not.toContain(data.id)
    expect(text).not.toContain('customer-123')
    expect(text).not.toContain(org.test)
  })
})

import { revokeApiKey } from '@onboard/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError, readList } from './support/responses'

describe('onboarding links: authentication and isolation', () => {
  const api = useTestApi()
  const acme = useOrganization(api, { name: 'Acme' })
  const globex = useOrganization(api, { name: 'Globex' })
  let acmeTestLinkId: string

  beforeAll(async () => {
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: acme.test,
      json: { name: 'Acme link' },
    })
    acmeTestLinkId = (await readData(res, 'link')).id
  })

  const unauthorized: Array<[string, Record<string, string>]> = [
    ['no Authorization header', {}],
    ['a non-Bearer scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a malformed key', { authorization: 'Bearer sk_org_test_short' }],
    [
      'a key of another prefix',
      { authorization: 'Bearer sk_admin_test_0123456789012345678901234567890123' },
    ],
    ['an unknown well-formed key', { authorization: `Bearer sk_org_test_${'A'.repeat(33)}` }],
  ]

  it.each(unauthorized)('answers %s with 401 and the error envelope', async (_, headers) => {
    for (const [method, path] of [
      ['GET', '/v1/onboarding-links'],
      ['POST', '/v1/onboarding-links'],
      ['GET', `/v1/onboarding-links/${acmeTestLinkId}`],
      ['DELETE', `/v1/onboarding-links/${acmeTestLinkId}`],
    ] as const) {
      const res = await api.request(path, {
        method,
        headers,
        ...(method === 'POST' ? { json: { name: 'x' } } : {}),
      })
      expect(res.status).toBe(401)
      const error = await readError(res, 401)
      expect(error.code).toBe('unauthorized')
      expect(error.message).toEqual(expect.any(String))
    }
  })

  it('refuses a revoked key with 401', async () => {
    const org = await api.createOrganization('Revoked Inc')
    expect((await api.request('/v1/onboarding-links', { key: org.test })).status).toBe(200)
    const keyRow = await api.core.db
      .selectFrom('api_keys')
      .select('id')
      .where('organization_id', '=', org.id)
      .where('mode', '=', 'test')
      .executeTakeFirstOrThrow()
    await revokeApiKey(api.core, keyRow.id)
    expect((await api.request('/v1/onboarding-links', { key: org.test })).status).toBe(401)
    expect((await api.request('/v1/onboarding-links', { key: org.live })).status).toBe(200)
  })

  it("answers 404 for another organisation's link, for reads and deletes", async () => {
    const get = await api.request(`/v1/onboarding-links/${acmeTestLinkId}`, { key: globex.test })
    expect(get.status).toBe(404)
    expect((await readError(get)).code).toBe('not_found')
    const del = await api.request(`/v1/onboarding-links/${acmeTestLinkId}`, {
      method: 'DELETE',
      key: globex.test,
    })
    expect(del.status).toBe(404)
    expect(
      (await api.request(`/v1/onboarding-links/${acmeTestLinkId}`, { key: acme.test })).status,
    ).toBe(200)
  })

  it('answers 404 for an object of the other mode of the same organisation', async () => {
    expect(
      (await api.request(`/v1/onboarding-links/${acmeTestLinkId}`, { key: acme.live })).status,
    ).toBe(404)
    const del = await api.request(`/v1/onboarding-links/${acmeTestLinkId}`, {
      method: 'DELETE',
      key: acme.live,
    })
    expect(del.status).toBe(404)
  })

  it('lists only the organisation and mode of the key', async () => {
    const list = async (key: string) =>
      (await readList(await api.request('/v1/onboarding-links', { key }), 'link')).data
    expect((await list(acme.test)).map((l: { id: string }) => l.id)).toContain(acmeTestLinkId)
    expect(await list(acme.live)).toEqual([])
    expect(await list(globex.test)).toEqual([])
  })

  it('stores keys only as hashes', async () => {
    const rows = await api.core.db
      .selectFrom('api_keys')
      .selectAll()
      .where('organization_id', '=', acme.id)
      .execute()
    expect(rows).toHaveLength(2)
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toContain(acme.test)
      expect(JSON.stringify(row)).not.toContain(acme.live)
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/)
    }
  })
})

import { randomUUID } from 'node:crypto'
import { createApiKey, revokeApiKey } from '@onboard/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { createOwnedObjects } from './support/owned'
import { readBody, readData, readError, readList } from './support/responses'
import {
  fillPath,
  type OwnedObjects,
  type RouteCase,
  registeredV1Routes,
  routeName,
  V1_ROUTES,
} from './support/routes'

/** An id of the same shape as `id` (a UUID, or the same prefix and length) that names nothing. */
function unknownLike(id: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id)) return randomUUID()
  const cut = id.lastIndexOf('_') + 1
  const tail = [...id.slice(cut)].map((c) => (c === 'Z' ? 'Y' : 'Z')).join('')
  return id.slice(0, cut) + tail
}

/**
 * The one security suite of the /v1 API, run over every route of the table (which the app's
 * OpenAPI registry keeps complete): whoever asks without a valid key gets the same 401, and
 * whoever asks for an object their key does not own (another organisation's, or their own of
 * the other mode) gets the same 404 as for an id that names nothing, and changes nothing.
 */
describe('every /v1 route: authentication and isolation', () => {
  const api = useTestApi()
  const owner = useOrganization(api, { name: 'Owner' })
  const other = useOrganization(api, { name: 'Other' })
  let owned: OwnedObjects
  let revoked: string
  beforeAll(async () => {
    owned = await createOwnedObjects(api, owner)
    // A second test key of the owner, used once (so the process trusts it) and then revoked.
    const second = await createApiKey(api.core, owner.id, 'test')
    revoked = second.key
    expect((await api.request('/v1/onboarding-links', { key: revoked })).status).toBe(200)
    await revokeApiKey(api.core, second.summary.id)
  })

  const call = (route: RouteCase, path: string, headers: Record<string, string>) =>
    api.request(path, {
      method: route.method,
      headers,
      ...(route.body ? { json: route.body(owned) } : {}),
    })
  const ownPath = (route: RouteCase) => fillPath(route, (object) => owned[object])
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

  it('covers exactly the /v1 routes the app registers', () => {
    const registered = registeredV1Routes(api).map(routeName).sort()
    expect(V1_ROUTES.map(routeName).sort()).toEqual(registered)
  })

  const unauthenticated: Array<[string, () => Record<string, string>]> = [
    ['no Authorization header', () => ({})],
    ['a non-Bearer scheme', () => ({ authorization: 'Basic dXNlcjpwYXNz' })],
    ['a malformed key', () => bearer('sk_org_test_short')],
    ['an unknown well-formed key', () => bearer(`sk_org_test_${'A'.repeat(24)}`)],
    ['a revoked key', () => bearer(revoked)],
  ]
  describe.each(unauthenticated)('with %s', (_, headers) => {
    it.each(V1_ROUTES.map((route) => [routeName(route), route] as const))(
      '%s answers 401 in the error envelope',
      async (_name, route) => {
        const error = await readError(await call(route, ownPath(route), headers()), 401)
        expect(error.code).toBe('unauthorized')
        expect(error.message).toEqual(expect.any(String))
      },
    )
  })

  const withObjects = V1_ROUTES.filter((route) => route.params)
  const strangers: Array<[string, () => string]> = [
    ["another organisation's test key", () => other.test],
    ["another organisation's live key", () => other.live],
    ["the owner's live key (the other mode)", () => owner.live],
  ]
  describe.each(strangers)('with %s', (_, key) => {
    it.each(withObjects.map((route) => [routeName(route), route] as const))(
      '%s answers 404 as for an unknown id',
      async (_name, route) => {
        const theirs = await readError(await call(route, ownPath(route), bearer(key())), 404)
        // The owner's own key on ids that name nothing: the answer a stranger must not tell apart.
        const unknownPath = fillPath(route, (object) => unknownLike(owned[object]))
        const unknown = await readError(await call(route, unknownPath, bearer(owner.test)), 404)
        expect(theirs).toEqual(unknown)
        expect(theirs.code).toBe('not_found')
      },
    )

    it.each(
      V1_ROUTES.filter((route) => route.method === 'GET' && !route.params && !route.singleton).map(
        (route) => [routeName(route), route] as const,
      ),
    )('%s lists none of the owner’s objects', async (_name, route) => {
      const res = await call(route, route.path, bearer(key()))
      expect(res.status).toBe(200)
      const body = await readBody<{ data: Array<{ id: string }> }>(res)
      const ids = new Set(Object.values(owned))
      expect(body.data.filter((item) => ids.has(item.id))).toEqual([])
    })
  })

  it('leaves every owned object as it was', async () => {
    const key = owner.test
    const get = (path: string) => api.request(path, { key })
    expect((await readData(await get(`/v1/onboarding-links/${owned.link}`), 'link')).status).toBe(
      'completed',
    )
    expect(
      (await readData(await get(`/v1/onboarding-links/${owned.pendingLink}`), 'link')).status,
    ).toBe('pending')
    expect(
      await readData(await get(`/v1/outgoing-webhooks/${owned.endpoint}`), 'endpoint'),
    ).toMatchObject({
      enabled: true,
      url: 'https://a.example/h',
    })
    expect((await get(`/v1/organization/embedded-signup/sessions/${owned.session}`)).status).toBe(
      200,
    )
    expect((await get(`/v1/phones/${owned.phone}`)).status).toBe(200)
    expect((await get(`/v1/wabas/${owned.waba}`)).status).toBe(200)
    expect((await get(`/v1/messages/${owned.message}`)).status).toBe(200)
    const sent = await readList(await get(`/v1/phones/${owned.phone}/messages`), 'message')
    expect(sent.pagination.total).toBe(1)
  })
})

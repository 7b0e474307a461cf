import { consoleAuth, createApiKey, listApiKeys, outgoingWebhooks } from '@onboard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConsoleClient, createConsoleUser, signedInClient } from './support/console'
import {
  CONSOLE_ROUTES,
  type ConsoleOwned,
  type ConsoleRouteCase,
  consoleRouteName,
  fillConsolePath,
  registeredConsoleRoutes,
} from './support/console-routes'
import { useOrganization, useTestApi } from './support/fixture'
import { createOwnedObjects } from './support/owned'
import { readList } from './support/responses'
import { readSession } from './support/sessions'

const named = (routes: ConsoleRouteCase[]) =>
  routes.map((route) => [consoleRouteName(route), route] as const)
const gated = CONSOLE_ROUTES.filter((route) => !route.public)
const withObjects = CONSOLE_ROUTES.filter((route) => route.params)
const posts = CONSOLE_ROUTES.filter((route) => route.method === 'POST')

/**
 * The console's twin of the /v1 security suite, over every /console route (the table is kept
 * complete against the running app): without a session every page redirects to sign-in with
 * none of the data; another organisation's user, or the owner's own user in the other mode,
 * gets 404 for the owner's ids; a POST without the CSRF token is 403; and none of it changes
 * anything the owner has.
 */
describe('every /console route: session, isolation and CSRF', () => {
  const api = useTestApi()
  const owner = useOrganization(api, { name: 'Owner' })
  let owned: ConsoleOwned
  let ownerClient: ConsoleClient
  let stranger: ConsoleClient
  let before: unknown

  /** What the owner has, as the API and core read it (nothing the suite may change). */
  async function snapshot() {
    const get = (path: string, key = owner.test) => api.request(path, { key })
    const list = async (path: string, shape: 'link' | 'endpoint', key: string) =>
      (await readList(await get(`${path}?limit=100`, key), shape)).data
    const deliveries = await outgoingWebhooks.listDeliveries(
      api.core,
      { organizationId: owner.id, mode: 'test' },
      owned.endpoint,
      { page: 1, limit: 100 },
    )
    return {
      links: await list('/v1/onboarding-links', 'link', owner.test),
      liveLinks: await list('/v1/onboarding-links', 'link', owner.live),
      // The session GET answers the session itself (the seed's shape), not `{ data }`.
      session: await readSession(api, owner.test, owned.session),
      endpoints: await list('/v1/outgoing-webhooks', 'endpoint', owner.test),
      liveEndpoints: await list('/v1/outgoing-webhooks', 'endpoint', owner.live),
      deliveries: deliveries.data.map((delivery) => delivery.id).sort(),
      keys: (await listApiKeys(api.core, owner.id)).map(({ id, mode, revokedAt }) => ({
        id,
        mode,
        revokedAt,
      })),
    }
  }

  /** The owner's data a page must not show: ids (but those in the URL asked for) and names. */
  function expectNoOwnerData(html: string, path: string) {
    const ids = Object.values(owned).filter((id) => !path.includes(id))
    for (const secret of [...ids, 'Acme Corp', 'customer-123', 'https://a.example/h']) {
      expect(html, `${path} shows ${secret}`).not.toContain(secret)
    }
  }

  beforeAll(async () => {
    const objects = await createOwnedObjects(api, owner)
    const key = await createApiKey(api.core, owner.id, 'test')
    owned = { ...objects, apiKey: key.summary.id }
    const user = await createConsoleUser(api, {
      organizationId: owner.id,
      keys: { test: owner.test, live: owner.live },
    })
    ownerClient = new ConsoleClient(api)
    expect((await ownerClient.signIn(user.email, user.password)).status).toBe(303)
    stranger = (await signedInClient(api)).client
    before = await snapshot()
  })

  it('covers exactly the GET and POST /console routes the app registers', () => {
    const table = CONSOLE_ROUTES.map(consoleRouteName).sort()
    expect(new Set(table).size).toBe(table.length)
    expect(table).toEqual(registeredConsoleRoutes(api).sort())
  })

  it.each(named(withObjects.filter((route) => route.method === 'GET')))(
    '%s shows the owner its own object (so the 404s below are about whose it is)',
    async (_name, route) => {
      const path = fillConsolePath(route, owned)
      const { response, html } = await ownerClient.get(path)
      expect(response.status, path).toBe(200)
      expect(html).not.toContain('Not found')
    },
  )

  it.each(named(gated))(
    '%s without a session redirects to sign-in with none of the data',
    async (_name, route) => {
      const anonymous = new ConsoleClient(api)
      const path = fillConsolePath(route, owned)
      const { response, html } =
        route.method === 'GET'
          ? await anonymous.get(path)
          : await anonymous.post(path, route.fields ?? {}, { csrf: 'not-a-session-token' })
      expect(response.status, path).toBe(303)
      expect(response.headers.get('location')).toBe(
        route.method === 'GET'
          ? `/console/sign-in?next=${encodeURIComponent(path)}`
          : '/console/sign-in',
      )
      expect(response.headers.get('cache-control')).toContain('no-store')
      expectNoOwnerData(html, path)
    },
  )

  it.each(named(withObjects))(
    "%s as another organisation's user, with the owner's ids, is 404 with none of the data",
    async (_name, route) => {
      await stranger.get('/console/links')
      const path = fillConsolePath(route, owned)
      const { response, html } =
        route.method === 'GET' ? await stranger.get(path) : await stranger.post(path, route.fields)
      expect(response.status, path).toBe(404)
      expectNoOwnerData(html, path)
    },
  )

  it.each(named(gated.filter((route) => route.method === 'GET' && !route.params)))(
    "%s as another organisation's user shows none of the owner's data",
    async (_name, route) => {
      const { response, html } = await stranger.get(route.path)
      expect([200, 303], route.path).toContain(response.status)
      expectNoOwnerData(html, route.path)
    },
  )

  it.each(named(posts))(
    '%s as the owner without the CSRF token is 403 and changes nothing',
    async (_name, route) => {
      await ownerClient.get('/console/links')
      const path = fillConsolePath(route, owned)
      // Compared with the state just before, so a failure names this route and no later one.
      const previous = await snapshot()
      const { response, html } = await ownerClient.post(path, route.fields, { csrf: null })
      expect(response.status, path).toBe(403)
      expect(html).not.toContain('whsec_')
      expect(await snapshot()).toEqual(previous)
      // Still signed in, still in test mode.
      const token = ownerClient.cookies.get('console_session') as string
      expect((await consoleAuth.findConsoleSession(api.core, token))?.mode).toBe('test')
    },
  )

  describe("as the owner's own user in live mode", () => {
    beforeAll(async () => {
      await ownerClient.get('/console/links')
      const { response } = await ownerClient.post('/console/mode', { mode: 'live' })
      expect(response.status).toBe(303)
    })
    afterAll(async () => {
      await ownerClient.get('/console/links')
      await ownerClient.post('/console/mode', { mode: 'test' })
    })

    it.each(named(withObjects))(
      "%s with the owner's test-mode ids is 404 with none of the data",
      async (_name, route) => {
        await ownerClient.get('/console/links')
        const path = fillConsolePath(route, owned)
        const { response, html } =
          route.method === 'GET'
            ? await ownerClient.get(path)
            : await ownerClient.post(path, route.fields)
        expect(response.status, path).toBe(404)
        expectNoOwnerData(html, path)
      },
    )
  })

  it("leaves the owner's objects as they were: endpoint enabled, secret not rotated, key not revoked", async () => {
    const after = await snapshot()
    expect(after).toEqual(before)
    const endpoint = (after.endpoints as Array<Record<string, unknown>>).find(
      (item) => item.id === owned.endpoint,
    )
    expect(endpoint).toMatchObject({
      url: 'https://a.example/h',
      enabled: true,
      previousSecretExpiresAt: null,
    })
    expect(after.keys.find((key) => key.id === owned.apiKey)?.revokedAt).toBeNull()
    expect(after.deliveries).toEqual([owned.delivery])
  })
})

import type { TestApi } from './harness'
import type { OwnedObjects } from './routes'

/** What one organisation owns for the console suite: the /v1 objects and one test API key. */
export interface ConsoleOwned extends OwnedObjects {
  apiKey: string
}

/**
 * One console route: its method and Hono path, which owned object each `:param` names, and a
 * valid form for a POST. `public` routes (sign-in) pass the gate without a session.
 */
export interface ConsoleRouteCase {
  method: 'GET' | 'POST'
  path: string
  params?: Record<string, keyof ConsoleOwned>
  fields?: Record<string, string | string[]>
  public?: true
}

const ENDPOINT_FORM = { url: 'https://evil.example.com/hook', events: ['message.read'] }

/** Every /console route. The suite fails when the app has a route this table lacks, or the reverse. */
export const CONSOLE_ROUTES: ConsoleRouteCase[] = [
  { method: 'GET', path: '/console/sign-in', public: true },
  {
    method: 'POST',
    path: '/console/sign-in',
    public: true,
    fields: { email: 'nobody@example.com', password: 'x' },
  },
  { method: 'POST', path: '/console/sign-out' },
  { method: 'POST', path: '/console/mode', fields: { mode: 'live' } },
  { method: 'GET', path: '/console' },
  { method: 'GET', path: '/console/links' },
  { method: 'GET', path: '/console/links/:id', params: { id: 'link' } },
  { method: 'POST', path: '/console/links/:id/renew', params: { id: 'pendingLink' } },
  { method: 'GET', path: '/console/create-link' },
  { method: 'POST', path: '/console/create-link', fields: { name: 'Forged Corp' } },
  { method: 'GET', path: '/console/sessions' },
  { method: 'GET', path: '/console/sessions/:id', params: { id: 'session' } },
  { method: 'GET', path: '/console/numbers' },
  { method: 'GET', path: '/console/numbers/:id', params: { id: 'phone' } },
  { method: 'GET', path: '/console/wabas/:id', params: { id: 'waba' } },
  { method: 'GET', path: '/console/webhooks' },
  { method: 'POST', path: '/console/webhooks', fields: ENDPOINT_FORM },
  { method: 'GET', path: '/console/webhooks/:id', params: { id: 'endpoint' } },
  {
    method: 'POST',
    path: '/console/webhooks/:id',
    params: { id: 'endpoint' },
    fields: ENDPOINT_FORM,
  },
  {
    method: 'POST',
    path: '/console/webhooks/:id/enabled',
    params: { id: 'endpoint' },
    fields: { enabled: 'false' },
  },
  { method: 'POST', path: '/console/webhooks/:id/test', params: { id: 'endpoint' } },
  {
    method: 'POST',
    path: '/console/webhooks/:id/deliveries/:deliveryId/replay',
    params: { id: 'endpoint', deliveryId: 'delivery' },
  },
  { method: 'POST', path: '/console/webhooks/:id/rotate-secret', params: { id: 'endpoint' } },
  { method: 'GET', path: '/console/meta-receipts' },
  { method: 'GET', path: '/console/api-keys' },
  { method: 'POST', path: '/console/api-keys', fields: { password: '' } },
  { method: 'POST', path: '/console/api-keys/:id/revoke', params: { id: 'apiKey' } },
  { method: 'GET', path: '/console/branding' },
  { method: 'POST', path: '/console/branding', fields: { displayName: 'Forged Brand' } },
  { method: 'POST', path: '/console/branding/logo', fields: { action: 'remove' } },
]

export const consoleRouteName = (route: { method: string; path: string }) =>
  `${route.method} ${route.path}`

/** The GET and POST handlers the running app registered under /console (not its middleware). */
export function registeredConsoleRoutes(api: TestApi): string[] {
  const names = api.app.routes
    .filter((route) => route.method === 'GET' || route.method === 'POST')
    .filter((route) => route.path === '/console' || route.path.startsWith('/console/'))
    .map(consoleRouteName)
  return [...new Set(names)]
}

/** The route's path with each `:param` replaced by the owned object's id. */
export function fillConsolePath(route: ConsoleRouteCase, owned: ConsoleOwned): string {
  let path = route.path
  for (const [name, object] of Object.entries(route.params ?? {})) {
    path = path.replace(`:${name}`, encodeURIComponent(owned[object]))
  }
  return path
}

import type { z } from 'zod'
import type { TestApi } from './harness'

/** The objects one organisation owns, whose ids fill the routes' placeholders. */
export interface OwnedObjects {
  /** A completed link (it connected `phone` and `waba`). */
  link: string
  /** A pending link (deleting a completed one is a conflict, not the check at hand). */
  pendingLink: string
  session: string
  endpoint: string
  delivery: string
  phone: string
  waba: string
  message: string
}

/**
 * What the shared suites need to call a /v1 route: its method and OpenAPI path, which owned
 * object each placeholder names, a valid body, an invalid input with the field its 400 must
 * name, and the test file holding its happy path (GET routes are also read in the suite).
 */
export interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  path: string
  params?: Record<string, keyof OwnedObjects>
  /** The tenant's one object, with no id and no list (branding): its own file tests isolation. */
  singleton?: true
  body?: (owned: OwnedObjects) => unknown
  invalid?: { query?: string; body?: unknown; field: string }
  happy: string
}

const page = { query: 'limit=0', field: 'limit' }
const TEXT = { to: '+16505551234', type: 'text', text: { body: 'Hello from the tests' } }

/** Every /v1 route. The suites fail when the app has a route this table lacks, or the reverse. */
export const V1_ROUTES: RouteCase[] = [
  {
    method: 'POST',
    path: '/v1/onboarding-links',
    body: () => ({ name: 'Acme Corp', locale: 'es', allowedOrigins: ['https://app.example'] }),
    invalid: { body: { name: 'Acme Corp', locale: 'fr' }, field: 'locale' },
    happy: 'onboarding-links.happy.test.ts',
  },
  {
    method: 'GET',
    path: '/v1/onboarding-links',
    invalid: page,
    happy: 'onboarding-links.lifecycle.test.ts',
  },
  {
    method: 'GET',
    path: '/v1/onboarding-links/{id}',
    params: { id: 'link' },
    happy: 'onboarding-links.happy.test.ts',
  },
  {
    method: 'DELETE',
    path: '/v1/onboarding-links/{id}',
    params: { id: 'pendingLink' },
    happy: 'onboarding-links.lifecycle.test.ts',
  },
  {
    method: 'POST',
    path: '/v1/onboarding-links/{id}/renew',
    params: { id: 'pendingLink' },
    body: () => ({ expiresInSeconds: 3600 }),
    invalid: { body: { expiresInSeconds: 10 }, field: 'expiresInSeconds' },
    happy: 'onboarding-links.renew.test.ts',
  },
  {
    method: 'POST',
    path: '/v1/outgoing-webhooks',
    body: () => ({ url: 'https://a.example/h', events: ['message.sent'] }),
    invalid: { body: { url: 'https://a.example/h', events: ['no.such.event'] }, field: 'events' },
    happy: 'outgoing-webhooks.happy.test.ts',
  },
  {
    method: 'GET',
    path: '/v1/outgoing-webhooks',
    invalid: page,
    happy: 'outgoing-webhooks.happy.test.ts',
  },
  {
    method: 'GET',
    path: '/v1/outgoing-webhooks/{id}',
    params: { id: 'endpoint' },
    happy: 'outgoing-webhooks.happy.test.ts',
  },
  {
    method: 'PATCH',
    path: '/v1/outgoing-webhooks/{id}',
    params: { id: 'endpoint' },
    body: () => ({ enabled: false }),
    invalid: { body: { enabled: 'no' }, field: 'enabled' },
    happy: 'outgoing-webhooks.happy.test.ts',
  },
  {
    method: 'DELETE',
    path: '/v1/outgoing-webhooks/{id}',
    params: { id: 'endpoint' },
    happy: 'outgoing-webhooks.happy.test.ts',
  },
  {
    method: 'POST',
    path: '/v1/outgoing-webhooks/{id}/rotate-secret',
    params: { id: 'endpoint' },
    invalid: { body: { secret: 'short' }, field: 'secret' },
    happy: 'outgoing-webhooks.happy.test.ts',
  },
  {
    method: 'POST',
    path: '/v1/outgoing-webhooks/{id}/test',
    params: { id: 'endpoint' },
    happy: 'outgoing-webhooks.happy.test.ts',
  },
  {
    method: 'GET',
    path: '/v1/outgoing-webhooks/{id}/deliveries',
    params: { id: 'endpoint' },
    invalid: page,
    happy: 'outgoing-webhooks.delivery.test.ts',
  },
  {
    method: 'POST',
    path: '/v1/outgoing-webhooks/{id}/deliveries/{deliveryId}/retry',
    params: { id: 'endpoint', deliveryId: 'delivery' },
    happy: 'outgoing-webhooks.delivery.test.ts',
  },
  { method: 'GET', path: '/v1/phones', invalid: page, happy: 'phones.test.ts' },
  { method: 'GET', path: '/v1/phones/{id}', params: { id: 'phone' }, happy: 'phones.test.ts' },
  {
    method: 'GET',
    path: '/v1/phones/{id}/health',
    params: { id: 'phone' },
    happy: 'meta-webhooks.health.test.ts',
  },
  {
    method: 'POST',
    path: '/v1/phones/{id}/messages',
    params: { id: 'phone' },
    body: () => TEXT,
    invalid: { body: { ...TEXT, to: 'nobody' }, field: 'to' },
    happy: 'messages.e2e.test.ts',
  },
  {
    method: 'GET',
    path: '/v1/phones/{id}/messages',
    params: { id: 'phone' },
    invalid: page,
    happy: 'messages.e2e.test.ts',
  },
  {
    method: 'GET',
    path: '/v1/phones/{id}/templates',
    params: { id: 'phone' },
    happy: 'messages.e2e.test.ts',
  },
  {
    method: 'GET',
    path: '/v1/messages/{id}',
    params: { id: 'message' },
    happy: 'messages.e2e.test.ts',
  },
  { method: 'GET', path: '/v1/wabas', invalid: page, happy: 'wabas.test.ts' },
  { method: 'GET', path: '/v1/wabas/{id}', params: { id: 'waba' }, happy: 'wabas.test.ts' },
  {
    method: 'GET',
    path: '/v1/wabas/{id}/connection',
    params: { id: 'waba' },
    happy: 'wabas.test.ts',
  },
  {
    method: 'POST',
    path: '/v1/organization/embedded-signup/sessions',
    body: () => ({ redirect_uri: 'https://example.com/whatsapp/callback', state: 'csrf-123' }),
    invalid: { body: { redirect_uri: 'not a url', state: 's' }, field: 'redirect_uri' },
    happy: 'sessions.create.test.ts',
  },
  {
    method: 'GET',
    path: '/v1/organization/embedded-signup/sessions',
    invalid: page,
    happy: 'sessions.manage.test.ts',
  },
  {
    method: 'GET',
    path: '/v1/organization/embedded-signup/sessions/{id}',
    params: { id: 'session' },
    happy: 'sessions.create.test.ts',
  },
  {
    method: 'DELETE',
    path: '/v1/organization/embedded-signup/sessions/{id}',
    params: { id: 'session' },
    happy: 'sessions.manage.test.ts',
  },
  {
    method: 'POST',
    path: '/v1/organization/embedded-signup/sessions/{id}/complete',
    params: { id: 'session' },
    body: () => ({ wabaId: '123456789' }),
    invalid: { body: { wabaId: 'abc' }, field: 'wabaId' },
    happy: 'sessions.flow.test.ts',
  },
  {
    method: 'POST',
    path: '/v1/organization/whatsapp/business-profiles/callback',
    body: () => ({ code: 'c', wabaId: '1', phoneNumberId: '2', businessId: '3' }),
    invalid: { body: { code: '' }, field: 'code' },
    happy: 'business-profiles.test.ts',
  },
  { method: 'GET', path: '/v1/organization/branding', singleton: true, happy: 'branding.test.ts' },
  {
    method: 'PATCH',
    path: '/v1/organization/branding',
    singleton: true,
    body: () => ({ displayName: 'Forged Name' }),
    invalid: { body: { accentColor: '#ffff00' }, field: 'accentColor' },
    happy: 'branding.test.ts',
  },
  {
    method: 'PUT',
    path: '/v1/organization/branding/logo',
    singleton: true,
    happy: 'branding.test.ts',
  },
  {
    method: 'DELETE',
    path: '/v1/organization/branding/logo',
    singleton: true,
    happy: 'branding.test.ts',
  },
]

export const routeName = (route: { method: string; path: string }) =>
  `${route.method} ${route.path}`

interface RegisteredRoute {
  method: string
  path: string
  responses: Record<
    string,
    { content?: Record<string, { schema?: z.ZodType | object } | undefined> } | undefined
  >
}

/** The /v1 routes the app registered in its OpenAPI registry, with their response schemas. */
export function registeredV1Routes(api: TestApi): RegisteredRoute[] {
  return api.app.openAPIRegistry.definitions.flatMap((definition) =>
    definition.type === 'route' && definition.route.path.startsWith('/v1/')
      ? [
          {
            method: definition.route.method.toUpperCase(),
            path: definition.route.path,
            responses: definition.route.responses as RegisteredRoute['responses'],
          },
        ]
      : [],
  )
}

/** The route's documented success schema (its 2xx JSON body), when it has one. */
export function successSchema(route: RegisteredRoute): z.ZodType | undefined {
  for (const [status, response] of Object.entries(route.responses)) {
    if (!status.startsWith('2')) continue
    const schema = response?.content?.['application/json']?.schema
    if (schema && 'safeParse' in schema) return schema as z.ZodType
  }
  return undefined
}

/** `path` with each placeholder replaced by the id `ids` gives it. */
export function fillPath(route: RouteCase, ids: (object: keyof OwnedObjects) => string): string {
  let path = route.path
  for (const [name, object] of Object.entries(route.params ?? {})) {
    path = path.replace(`{${name}}`, encodeURIComponent(ids(object)))
  }
  return path
}

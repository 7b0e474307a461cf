import type { SignupOptions, SignupResult } from '@onboard/meta-sandbox'
import type { TestApi } from './harness'
import { type ErrorEnvelope, readBody, readData, type Shape } from './responses'

/** Creates a link with `key` and returns its `data`. */
export async function createLink(
  api: TestApi,
  key: string,
  body: Record<string, unknown> = {},
): Promise<Shape<'link'>> {
  const res = await api.request('/v1/onboarding-links', {
    method: 'POST',
    key,
    json: { name: 'Acme Corp', externalId: 'customer-123', ...body },
  })
  if (res.status !== 201) throw new Error(`create link: ${res.status} ${await res.text()}`)
  return readData(res, 'link')
}

/** The page's embedded config: the nonce its callback must carry, and what the SDK is given. */
export interface PageConfig {
  nonce: string
  mode: 'test' | 'live'
  extras: {
    setup: { business?: { name: string }; [field: string]: unknown }
    featureType: string
    sessionInfoVersion: string
  }
  [field: string]: unknown
}

/** The config the hosted page embeds for its script, as the browser would read it. */
export async function pageConfig(api: TestApi, linkId: string): Promise<PageConfig> {
  const res = await api.request(`/signup/${linkId}`)
  const html = await res.text()
  const match = /<script type="application\/json" id="signup-config">(.*?)<\/script>/s.exec(html)
  if (!match?.[1]) throw new Error(`no page config (HTTP ${res.status})`)
  return JSON.parse(match[1]) as PageConfig
}

/** What the sandbox popup would hand the page, without a browser. */
export async function playSandbox(
  api: TestApi,
  scenario: string,
  options: Partial<SignupOptions> = {},
): Promise<SignupResult> {
  const res = await api.request('/__sandbox/signups', {
    method: 'POST',
    json: { scenario, options },
  })
  if (res.status !== 201) throw new Error(`sandbox: ${res.status} ${await res.text()}`)
  return readBody<SignupResult>(res)
}

/** The body the page posts, built from a sandbox result the way signup.js builds it. */
export function callbackBody(nonce: string, result: SignupResult) {
  return {
    nonce,
    code: result.code,
    wabaId: result.event.data.waba_id ?? null,
    phoneNumberId: result.event.data.phone_number_id ?? null,
    businessId: result.event.data.business_id ?? null,
    event: { event: result.event.event, data: result.event.data, version: result.event.version },
  }
}

export async function postCallback(api: TestApi, linkId: string, body: unknown) {
  return api.request(`/signup/${linkId}/callback`, { method: 'POST', json: body })
}

/**
 * The page's callback answer as tests read it: `data` when it answered 200, `error` and the
 * page's `redirectUrl` when it refused; a test asserts the HTTP status before reading either.
 */
export interface CallbackAnswer {
  data: Omit<Shape<'signupOutcome'>, 'redirectUrl'> & { redirectUrl: string }
  error: ErrorEnvelope['error']
  redirectUrl: string
}

/** Plays a scenario in the sandbox and posts what the page would, over real HTTP. */
export async function completeWith(
  api: TestApi,
  linkId: string,
  scenario: string,
  options: Partial<SignupOptions> = {},
) {
  const { nonce } = await pageConfig(api, linkId)
  const result = await playSandbox(api, scenario, options)
  const res = await postCallback(api, linkId, callbackBody(nonce, result))
  return { res, body: await readBody<CallbackAnswer>(res), result }
}

/** Every link in the test database, whoever's: what a refused request must leave unchanged. */
export async function countLinks(api: TestApi): Promise<number> {
  const { n } = await api.core.db
    .selectFrom('onboarding_links')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(n)
}

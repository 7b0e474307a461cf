import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Eta } from '@onboard/views'
import { type Context, Hono } from 'hono'
import { SANDBOX_INSTALL_WEBHOOK_SCENARIOS, type SandboxScenario } from './constants'
import { dialogView } from './dialog'
import { playScenario } from './scenarios'
import { signupRequestSchema } from './schemas'
import type { SandboxState } from './state'
import { postWebhook, signWebhook } from './webhooks/deliver'
import { buildMetaWebhook } from './webhooks/payloads'
import { emitRequestSchema } from './webhooks/schemas'

const asset = (name: string) => readFileSync(new URL(`./browser/${name}`, import.meta.url), 'utf8')

const POPUP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

function invalidRequest(c: Context, message: string, details?: unknown) {
  return c.json(
    { error: { code: 'invalid_request', message, ...(details ? { details } : {}) } },
    400,
  )
}

/** The browser half: SDK stand-in, popup, its assets, and the scenario call behind it. */
export function createBrowserRoutes(options: {
  state: SandboxState
  appId: string
  appSecret: string
  basePath: string
  views: Eta
  now: () => number
  /** The app's callback URL (see MetaSandboxOptions.callbackUrl), given the request's URL. */
  callbackUrl?: (requestUrl: URL) => URL | undefined
  /** Pause before the install webhook a finished signup sends. */
  webhookDelayMs: number
}): Hono {
  const { state, appId, basePath, views, now } = options
  const files = {
    sdk: asset('sdk.js'),
    popupJs: asset('popup.js'),
    popupCss: asset('popup.css'),
  }
  const routes = new Hono()

  const sdk = (c: Context) => {
    // Loaded cross-origin by hosted pages, often with crossorigin="anonymous" as Meta's snippet has.
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Cross-Origin-Resource-Policy', 'cross-origin')
    c.header('Cache-Control', 'no-cache')
    c.header('Content-Type', 'text/javascript; charset=utf-8')
    return c.body(files.sdk)
  }
  // As Meta's: connect.facebook.net/{locale}/sdk.js, the script reading its locale from its
  // path; the bare /sdk.js stays for pages written against it, as en_US.
  routes.get('/sdk.js', sdk)
  routes.get('/:locale{[a-z]{2}_[A-Z]{2}}/sdk.js', sdk)
  routes.get('/assets/popup.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8')
    return c.body(files.popupJs)
  })
  routes.get('/assets/popup.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8')
    return c.body(files.popupCss)
  })

  routes.get('/dialog/embedded-signup', (c) => {
    const view = dialogView(c.req.query(), appId)
    c.header('Content-Security-Policy', POPUP_CSP)
    c.header('Cache-Control', 'no-store')
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    return c.html(
      views.render('./sandbox/embedded-signup', view),
      view.problems.length > 0 ? 400 : 200,
    )
  })

  routes.get('/', (c) =>
    c.json({
      name: 'Meta sandbox',
      appId,
      graph: `${basePath}/graph/{version}/…`,
      sdk: `${basePath}/{locale}/sdk.js`,
      popup: `${basePath}/dialog/embedded-signup`,
      signups: `POST ${basePath}/signups`,
    }),
  )

  routes.post('/signups', async (c) => {
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      return invalidRequest(c, 'Send a JSON body, e.g. {"scenario":"success"}.')
    }
    const parsed = signupRequestSchema.safeParse(body)
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({
        path: i.path.join('.'),
        message: i.message,
      }))
      return invalidRequest(c, 'The scenario request is not valid.', details)
    }
    const result = await playScenario(state, parsed.data, now())
    const target = options.callbackUrl?.(new URL(c.req.url))
    if (target && result.sandbox.wabaId && emitsInstall(parsed.data.scenario)) {
      void emitInstall(options, result.sandbox.wabaId, target)
    }
    return c.json(result, 201)
  })

  return routes
}

function emitsInstall(scenario: SandboxScenario): boolean {
  return SANDBOX_INSTALL_WEBHOOK_SCENARIOS.includes(scenario)
}

/**
 * Meta's PARTNER_APP_INSTALLED for the WABA a signup just finished, signed and POSTed to the
 * app's callback a moment later, as Meta sends it whether or not the page ever called back.
 * A target that cannot be reached loses it, as a down callback would (Meta retries; the
 * sandbox does not).
 */
async function emitInstall(
  options: {
    state: SandboxState
    appId: string
    appSecret: string
    now: () => number
    webhookDelayMs: number
  },
  wabaId: string,
  target: URL,
): Promise<void> {
  try {
    // Unreferenced: a pending webhook never keeps a process from exiting.
    await sleep(options.webhookDelayMs, undefined, { ref: false })
    const request = { target: target.toString(), kind: 'partner_app_installed', wabaId }
    const built = await buildMetaWebhook(
      options.state,
      options.appId,
      emitRequestSchema.parse(request),
      options.now(),
    )
    if (!built.ok) return
    const response = await postWebhook(target, signWebhook(built.payload, options.appSecret))
    await response.body?.cancel()
  } catch {
    // Nothing to report to: the signup's own answer went long ago.
  }
}

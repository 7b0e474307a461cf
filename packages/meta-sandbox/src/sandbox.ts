import type { Db } from '@onboard/db'
import { createViews, type Eta } from '@onboard/views'
import { Hono } from 'hono'
import { createBrowserRoutes } from './browser-routes'
import { SANDBOX_APP_NAME } from './constants'
import type { GraphContext } from './graph/context'
import { createGraphRouter } from './graph/router'
import { SandboxState } from './state'
import { createWebhookEmitRoutes, type EmitAuthorizer } from './webhooks/routes'

export interface MetaSandboxOptions {
  /**
   * Where the sandbox keeps what it issued (migrated, with the sandbox_* tables): the
   * service's own database, so every replica mounting the sandbox shares its signups.
   */
  db: Db
  appId: string
  appSecret: string
  /**
   * The platform's system-user token in the sandbox (META_SYSTEM_USER_TOKEN's stand-in): like a
   * partner's system user assigned to every client WABA, it reads and changes any WABA, phone
   * and portfolio the sandbox issued, without a code (completing an interrupted signup needs
   * that). It is a secret: a deployment passes its own, derived from its key
   * (`Keyring.sandboxSystemUserToken`). Without one the sandbox has no system user.
   */
  systemUserToken?: string
  /** Path prefix the app is mounted under (e.g. `/__sandbox`); used in the links it advertises. */
  basePath?: string
  /** Clock in epoch ms; tests move it to expire codes without sleeping. */
  now?: () => number
  appName?: string
  /** Signups (and the WABAs, phones and tokens they created) older than this are forgotten. Default 24 h. */
  retentionMs?: number
  /** At most this many signups are kept; the oldest go first. Default 1000. */
  maxSignups?: number
  views?: Eta
  /**
   * Which URLs `POST /webhooks/emit` may POST to. Mounted in a public server, pass a check
   * that allows only that server's own origins, so the call cannot be used to reach other
   * hosts; standalone (a developer's own tool) any `/webhooks/meta` URL is allowed.
   */
  isEmitTargetAllowed?: (target: URL) => boolean
  /**
   * Who may call `POST /webhooks/emit`, and about which WABA or number. Mounted in a public
   * server, pass the server's own check (its API keys and which accounts they hold), since
   * its receiver believes what the sandbox signs; standalone anyone may.
   */
  authorizeEmit?: EmitAuthorizer
  /**
   * The app's callback URL (Meta's app dashboard setting): where the webhooks Meta sends
   * unasked go: the statuses of a message sent through `POST /{phone}/messages`, and the
   * PARTNER_APP_INSTALLED after a `tab-closed` signup.
   * Given the URL of the Graph call that caused them, so a mounted sandbox can name its own
   * server's origin. Without it, sent messages get no status webhooks.
   */
  callbackUrl?: (graphRequestUrl: URL) => URL | undefined
  /** Pause before each status webhook of a sent message (and a signup's install). Default 200 ms. */
  statusDelayMs?: number
}

export interface MetaSandbox {
  /** All sandbox routes relative to its root: `/graph/…`, `/sdk.js`, `/dialog/…`, `/signups`. */
  app: Hono
  state: SandboxState
}

export function createMetaSandbox(options: MetaSandboxOptions): MetaSandbox {
  const now = options.now ?? Date.now
  const basePath = (options.basePath ?? '').replace(/\/+$/, '')
  const state = new SandboxState(options.db, {
    maxSignups: options.maxSignups ?? 1000,
    retentionMs: options.retentionMs ?? 24 * 60 * 60 * 1000,
  })
  const ctx: GraphContext = {
    state,
    appId: options.appId,
    appSecret: options.appSecret,
    systemUserToken: options.systemUserToken || undefined,
    appName: options.appName ?? SANDBOX_APP_NAME,
    now,
    callbackUrl: options.callbackUrl,
    statusDelayMs: options.statusDelayMs ?? 200,
  }
  const graph = createGraphRouter(ctx)
  const app = new Hono()
  // Versioned first: `/graph/v25.0/…` must not be read as a node called "v25.0".
  app.route('/graph/:version{v\\d+\\.\\d+}', graph)
  app.route('/graph', graph)
  app.route(
    '/webhooks',
    createWebhookEmitRoutes({
      ...ctx,
      appId: options.appId,
      isTargetAllowed: options.isEmitTargetAllowed ?? (() => true),
      authorize: options.authorizeEmit,
    }),
  )
  app.route(
    '/',
    createBrowserRoutes({
      state,
      appId: options.appId,
      appSecret: options.appSecret,
      basePath,
      views: options.views ?? createViews(),
      now,
      callbackUrl: options.callbackUrl,
      webhookDelayMs: ctx.statusDelayMs,
    }),
  )
  return { app, state }
}

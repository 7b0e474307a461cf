import type { Mode } from '@onboard/db'
import { createMetaClient, type MetaClient } from '@onboard/meta'
import type { Config } from './config'
import { AppError } from './errors'

/** One Meta app as a mode uses it: the Graph client and what the hosted page passes to FB.login. */
export interface MetaApp {
  client: MetaClient
  appId: string
  configId: string
  solutionId: string | undefined
  graphVersion: string
  /**
   * The platform's own token for reading a WABA without the end-user's code (completing an
   * interrupted signup): META_SYSTEM_USER_TOKEN live, the sandbox's stand-in in test mode.
   */
  systemUserToken: string | undefined
}

export interface MetaApps {
  /** undefined for live mode when META_APP_ID/SECRET/CONFIG_ID are not all set. */
  forMode(mode: Mode): MetaApp | undefined
}

export interface SandboxApp {
  /** Over real HTTP, e.g. `http://127.0.0.1:<the API's own port>/__sandbox/graph`. */
  graphUrl: string
  appId: string
  appSecret: string
  /** The sandbox's system-user token (`Keyring.sandboxSystemUserToken`), which reads any WABA it issued. */
  systemUserToken?: string
}

/**
 * The one place that decides which Meta a mode talks to: live objects use the configured
 * Meta app and Graph; test objects use the sandbox, so the real client code runs in tests.
 */
export function createMetaApps(config: Config, sandbox: SandboxApp): MetaApps {
  const test: MetaApp = {
    client: createMetaClient({
      graphUrl: sandbox.graphUrl,
      graphVersion: config.meta.graphVersion,
      appId: sandbox.appId,
      appSecret: sandbox.appSecret,
      // The sandbox answers locally; a hung request means a bug, not a slow Meta.
      timeoutMs: 5000,
    }),
    appId: sandbox.appId,
    configId: 'sandbox-embedded-signup',
    solutionId: config.meta.live?.solutionId,
    graphVersion: config.meta.graphVersion,
    systemUserToken: sandbox.systemUserToken,
  }
  const liveConfig = config.meta.live
  const live: MetaApp | undefined = liveConfig
    ? {
        client: createMetaClient({
          graphUrl: config.meta.graphUrl,
          graphVersion: config.meta.graphVersion,
          appId: liveConfig.appId,
          appSecret: liveConfig.appSecret,
        }),
        appId: liveConfig.appId,
        configId: liveConfig.configId,
        solutionId: liveConfig.solutionId,
        graphVersion: config.meta.graphVersion,
        systemUserToken: config.meta.systemUserToken,
      }
    : undefined
  return { forMode: (mode) => (mode === 'live' ? live : test) }
}

/**
 * Refuses to create what could never be completed: a link or session in a mode with no Meta
 * app (live mode without META_APP_ID/SECRET/CONFIG_ID), whose page would only say so later.
 */
export function assertSignupAvailable(metaApps: MetaApps, mode: Mode): void {
  if (metaApps.forMode(mode)) return
  throw new AppError(
    'meta_not_configured',
    409,
    // Only live mode can lack one: test mode always has the sandbox.
    'Live mode is not configured on this service: its operator must set META_APP_ID, META_APP_SECRET and META_CONFIG_ID and restart it. Test keys work meanwhile.',
  )
}

import type { IncomingMessage } from 'node:http'
import type { AuthenticatedKey, Config, CoreContext, consoleAuth, MetaApps } from '@onboard/core'
import type { MetaSandbox } from '@onboard/meta-sandbox'
import type { Eta } from '@onboard/views'
import type { Logger } from 'pino'
import type { ApiMetrics } from './metrics'

/** Everything the app needs from the outside, built once by main.ts (or a test) and passed in. */
export interface AppDeps {
  config: Config
  core: CoreContext
  logger: Logger
  views: Eta
  /** Resolves true when Redis answers; /readyz reports it. */
  pingRedis: () => Promise<boolean>
  /** Which Meta each mode talks to: the configured app (live) or the sandbox (test). */
  metaApps: MetaApps
  /** Mounted at /__sandbox; created by createApp when not given (tests pass one to inspect it). */
  sandbox?: MetaSandbox
  /** Served at /metrics; created by createApp when not given (the process passes its registry's). */
  metrics?: ApiMetrics
}

export interface AppEnv {
  /** Set by @hono/node-server; absent when a test calls `app.request`. */
  Bindings: { incoming?: IncomingMessage }
  Variables: {
    requestId: string
    logger: Logger
    tenant: AuthenticatedKey
    /** The signed-in console session (set by consoleGate on every /console page but sign-in). */
    console: consoleAuth.ConsoleSession
    /** A console POST's form fields, read and size-checked by consoleGate. */
    form: URLSearchParams
    /** The files of a console upload form (multipart), by field name; set by consoleGate. */
    files: Map<string, UploadedFile>
  }
}

/** One file of a console upload form: the type the browser declared and its bytes. */
export interface UploadedFile {
  type: string
  bytes: Buffer
}

import type { AuthenticatedKey, Config, CoreContext } from '@onboard/core'
import type { Eta } from '@onboard/views'
import type { Logger } from 'pino'

/** Everything the app needs from the outside, built once by main.ts (or a test) and passed in. */
export interface AppDeps {
  config: Config
  core: CoreContext
  logger: Logger
  views: Eta
  /** Resolves true when Redis answers; /readyz reports it. */
  pingRedis: () => Promise<boolean>
}

export interface AppEnv {
  Variables: {
    requestId: string
    logger: Logger
    tenant: AuthenticatedKey
  }
}

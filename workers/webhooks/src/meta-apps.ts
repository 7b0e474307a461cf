import { type Config, type CoreContext, createMetaApps, type MetaApps } from '@onboard/core'
import { SANDBOX_APP_ID } from '@onboard/meta-sandbox'

/**
 * The Meta apps the worker completes unattended sign-ups with, as the API role builds them:
 * live mode's Graph, and in test mode the sandbox mounted in the API on `PORT` over
 * loopback (the worker runs beside the API: in the same process, or on the same host).
 */
export function workerMetaApps(config: Config, core: CoreContext): MetaApps {
  return createMetaApps(config, {
    graphUrl: `http://127.0.0.1:${config.port}/__sandbox/graph`,
    appId: SANDBOX_APP_ID,
    appSecret: core.keyring.sandboxAppSecret,
    systemUserToken: core.keyring.sandboxSystemUserToken,
  })
}

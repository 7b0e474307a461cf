import { type CoreContext, isAppError, metaWebhooks } from '@onboard/core'
import {
  createMetaSandbox,
  type EmitAuthorizer,
  type MetaSandbox,
  SANDBOX_APP_ID,
} from '@onboard/meta-sandbox'
import type { Eta } from '@onboard/views'
import { keyOfAuthorization } from '../middleware/auth'
import type { AppDeps } from './env'
import { errorEnvelope } from './errors'
import { isOwnOrigin } from './own-origin'

/**
 * Who may have the mounted sandbox emit a signed Meta webhook: our receiver believes it, so
 * the caller needs a test key (401/403 otherwise), and may emit only about accounts that no
 * other organisation holds (404 otherwise). Refusals are our API's error envelope.
 */
function sandboxEmitAuthorizer(core: CoreContext): EmitAuthorizer {
  const refusal = (error: unknown) => {
    if (!isAppError(error)) throw error
    return Response.json(errorEnvelope(error), { status: error.status })
  }
  return async (request) => {
    try {
      const tenant = await keyOfAuthorization(core, request.headers.get('authorization'))
      metaWebhooks.assertMayUseSandboxEmitter(tenant)
      return async (about) => {
        try {
          await metaWebhooks.assertMayEmitAbout(core, tenant, {
            metaWabaId: about.wabaId,
            metaPhoneNumberId: about.phoneNumberId,
          })
          return undefined
        } catch (error) {
          return refusal(error)
        }
      }
    } catch (error) {
      return refusal(error)
    }
  }
}

/**
 * Where the mounted sandbox sends a sent message's status webhooks: our own /webhooks/meta,
 * on the origin our Graph client reached the sandbox through (loopback on our port), or else
 * loopback on our configured port, never another host.
 */
function ownCallbackUrl(config: AppDeps['config']) {
  const isOwn = isOwnOrigin(config)
  return (graphRequestUrl: URL) => {
    const sameOrigin = new URL('/webhooks/meta', graphRequestUrl.origin)
    return isOwn(sameOrigin) ? sameOrigin : new URL(`http://127.0.0.1:${config.port}/webhooks/meta`)
  }
}

/**
 * Test mode's Meta, as mounted at /__sandbox: this deployment's secret, origin and callers,
 * and its database, so a signup played through one replica completes through another.
 */
export function createMountedSandbox(
  deps: Pick<AppDeps, 'config' | 'core'> & { views?: Eta },
): MetaSandbox {
  return createMetaSandbox({
    db: deps.core.db,
    appId: SANDBOX_APP_ID,
    appSecret: deps.core.keyring.sandboxAppSecret,
    systemUserToken: deps.core.keyring.sandboxSystemUserToken,
    basePath: '/__sandbox',
    views: deps.views,
    isEmitTargetAllowed: isOwnOrigin(deps.config),
    authorizeEmit: sandboxEmitAuthorizer(deps.core),
    callbackUrl: ownCallbackUrl(deps.config),
  })
}

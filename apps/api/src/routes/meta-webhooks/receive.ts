import { AppError, metaWebhooks } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import { errorResponse } from '../../lib/errors'
import { readBody } from '../../lib/read-body'
import type { Router } from '../../lib/router'
import { META_WEBHOOK_PATH } from './paths'

/** Meta batches up to 1000 updates in one POST, so this allows far more than /v1's 64 KB. */
const META_WEBHOOK_MAX_BYTES = 1024 * 1024

const tooLarge = () =>
  new AppError('payload_too_large', 413, 'A Meta webhook body must be at most 1 MB.')

/**
 * The apps whose secret may sign: the live app when configured (live objects), and the
 * sandbox app, always (test objects). The sandbox secret is this deployment's own (derived
 * from ENCRYPTION_KEY), so only its own sandbox signs; its bodies only touch test-mode rows.
 */
function signingApps(deps: AppDeps): metaWebhooks.SigningApp[] {
  const live = deps.config.meta.live
  return [
    ...(live ? [{ mode: 'live' as const, secret: live.appSecret }] : []),
    { mode: 'test' as const, secret: deps.core.keyring.sandboxAppSecret },
  ]
}

/**
 * POST /webhooks/meta: verify the signature over the raw bytes, store the receipt (once per
 * identical body), answer 200 at once; the worker turns it into events.
 */
export function registerMetaWebhookReceive(router: Router, deps: AppDeps) {
  const apps = signingApps(deps)
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: META_WEBHOOK_PATH,
    tags: ['Meta webhooks'],
    summary: 'Receives Meta’s WhatsApp Business Account webhooks',
    description:
      'Authenticated by `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body under the app secret>` (the live app’s secret, or the sandbox app’s for test mode). Stored once per identical body and processed off the request; messages and statuses are relayed to outgoing webhooks as `message.*` events and an uninstall as `phone_number.disconnected` (see docs/meta-webhooks.md).',
    responses: {
      200: { description: 'Stored (or already stored: Meta retries the same body)' },
      401: errorResponse('Missing or wrong signature; nothing is stored'),
      413: errorResponse('Larger than 1 MB'),
    },
  })
  router.post(META_WEBHOOK_PATH, async (c) => {
    // The raw bytes, read once: re-serialised JSON would not match Meta's signature.
    const raw = await readBody(c, META_WEBHOOK_MAX_BYTES, tooLarge)
    const mode = metaWebhooks.verifyMetaSignature(raw, c.req.header('x-hub-signature-256'), apps)
    if (!mode) {
      throw new AppError(
        'invalid_signature',
        401,
        'X-Hub-Signature-256 is missing or is not sha256=<HMAC-SHA256 of the body under the app secret>.',
      )
    }
    const body = raw.toString('utf8')
    try {
      JSON.parse(body)
    } catch {
      throw new AppError('invalid_json', 400, 'The request body is not valid JSON.')
    }
    const stored = await metaWebhooks.storeReceipt(deps.core, { mode, body })
    return c.json({ data: { receiptId: stored.receiptId, duplicate: stored.duplicate } }, 200)
  })
}

import { metaWebhooks } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { META_WEBHOOK_PATH } from './paths'

/** GET /webhooks/meta: Meta's subscription handshake (echo `hub.challenge` as plain text). */
export function registerMetaWebhookVerify(router: Router, deps: AppDeps) {
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: META_WEBHOOK_PATH,
    tags: ['Meta webhooks'],
    summary: 'Meta’s webhook verification handshake',
    description:
      'Meta calls this when the callback URL is configured: `hub.mode=subscribe`, `hub.verify_token` equal to `META_WEBHOOK_VERIFY_TOKEN` and `hub.challenge`. The challenge is echoed as text/plain; anything else (or no token configured) is a 403 whose text says why.',
    responses: {
      200: {
        description: 'The challenge, as sent',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
      403: { description: 'Refused, with the reason as text' },
    },
  })
  router.get(META_WEBHOOK_PATH, (c) => {
    const result = metaWebhooks.answerHandshake(deps.config.meta.webhookVerifyToken, {
      mode: c.req.query('hub.mode'),
      token: c.req.query('hub.verify_token'),
      challenge: c.req.query('hub.challenge'),
    })
    if (!result.ok) {
      c.var.logger.warn({ reason: result.reason }, 'Meta webhook handshake refused')
      return c.text(result.reason, 403)
    }
    return c.text(result.challenge, 200)
  })
}

import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { registerMetaWebhookReceive } from './receive'
import { registerMetaWebhookVerify } from './verify'

/** Meta's webhooks: outside /v1, authenticated by verify token (GET) and signature (POST). */
export function registerMetaWebhookRoutes(router: Router, deps: AppDeps) {
  registerMetaWebhookVerify(router, deps)
  registerMetaWebhookReceive(router, deps)
}

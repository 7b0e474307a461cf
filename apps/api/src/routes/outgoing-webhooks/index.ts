import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { registerCreateOutgoingWebhook } from './create'
import { registerDeleteOutgoingWebhook } from './delete'
import { registerGetOutgoingWebhook } from './get'
import { registerListOutgoingWebhooks } from './list'
import { registerListDeliveries } from './list-deliveries'
import { registerRetryDelivery } from './retry-delivery'
import { registerRotateOutgoingWebhookSecret } from './rotate-secret'
import { registerSendTestEvent } from './send-test'
import { registerUpdateOutgoingWebhook } from './update'

export function registerOutgoingWebhookRoutes(router: Router, deps: AppDeps) {
  registerCreateOutgoingWebhook(router, deps)
  registerListOutgoingWebhooks(router, deps)
  registerGetOutgoingWebhook(router, deps)
  registerUpdateOutgoingWebhook(router, deps)
  registerDeleteOutgoingWebhook(router, deps)
  registerRotateOutgoingWebhookSecret(router, deps)
  registerSendTestEvent(router, deps)
  registerListDeliveries(router, deps)
  registerRetryDelivery(router, deps)
}

import { createRoute } from '@hono/zod-openapi'
import { outgoingWebhooks } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { queuedDeliveryResponses, webhookIdParamsSchema } from './params'

const route = createRoute({
  method: 'post',
  path: '/v1/outgoing-webhooks/{id}/test',
  tags: ['Outgoing webhooks'],
  summary: 'Send a webhook.test event to this endpoint',
  description:
    'Delivered like any event (signed, retried, logged), whatever the endpoint subscribes to. Follow it with the deliveries list.',
  security: [{ bearerAuth: [] }],
  request: { params: webhookIdParamsSchema },
  responses: queuedDeliveryResponses,
})

export function registerSendTestEvent(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const delivery = await outgoingWebhooks.sendTestEvent(
      deps.core,
      c.var.tenant,
      c.req.valid('param').id,
    )
    return c.json({ data: delivery }, 202)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { outgoingWebhooks } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { deliveryParamsSchema, queuedDeliveryResponses } from './params'

const route = createRoute({
  method: 'post',
  path: '/v1/outgoing-webhooks/{id}/deliveries/{deliveryId}/retry',
  tags: ['Outgoing webhooks'],
  summary: 'Retry or replay a delivery now',
  description:
    'A delivered or failed delivery is sent again once, with the same `webhook-id` (a replay). A pending one is attempted now instead of at its next scheduled time.',
  security: [{ bearerAuth: [] }],
  request: { params: deliveryParamsSchema },
  responses: queuedDeliveryResponses,
})

export function registerRetryDelivery(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const { id, deliveryId } = c.req.valid('param')
    const retry = await outgoingWebhooks.retryDelivery(deps.core, c.var.tenant, id, deliveryId)
    return c.json({ data: retry.delivery }, 202)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { outgoingWebhooks } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { webhookIdParamsSchema } from './params'

const route = createRoute({
  method: 'delete',
  path: '/v1/outgoing-webhooks/{id}',
  tags: ['Outgoing webhooks'],
  summary: 'Delete a webhook endpoint and its delivery log',
  security: [{ bearerAuth: [] }],
  request: { params: webhookIdParamsSchema },
  responses: {
    204: { description: 'Deleted; queued deliveries to it are dropped' },
    ...commonErrorResponses,
  },
})

export function registerDeleteOutgoingWebhook(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    await outgoingWebhooks.deleteOutgoingWebhook(deps.core, c.var.tenant, c.req.valid('param').id)
    return c.body(null, 204)
  })
}

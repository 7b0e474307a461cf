import { createRoute } from '@hono/zod-openapi'
import { outgoingWebhooks, paginationSchema } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { webhookIdParamsSchema } from './params'

const route = createRoute({
  method: 'get',
  path: '/v1/outgoing-webhooks/{id}/deliveries',
  tags: ['Outgoing webhooks'],
  summary: "An endpoint's deliveries, newest first, each with every attempt",
  security: [{ bearerAuth: [] }],
  request: { params: webhookIdParamsSchema, query: outgoingWebhooks.listDeliveriesQuerySchema },
  responses: {
    200: {
      description: 'A page of deliveries',
      content: {
        'application/json': {
          schema: z.object({
            data: z.array(outgoingWebhooks.deliverySchema),
            pagination: paginationSchema,
          }),
        },
      },
    },
    ...commonErrorResponses,
  },
})

export function registerListDeliveries(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const page = await outgoingWebhooks.listDeliveries(
      deps.core,
      c.var.tenant,
      c.req.valid('param').id,
      c.req.valid('query'),
    )
    return c.json(page, 200)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { outgoingWebhooks, paginationQuerySchema, paginationSchema } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'

const route = createRoute({
  method: 'get',
  path: '/v1/outgoing-webhooks',
  tags: ['Outgoing webhooks'],
  summary: 'List webhook endpoints, newest first',
  security: [{ bearerAuth: [] }],
  request: { query: paginationQuerySchema },
  responses: {
    200: {
      description: 'A page of endpoints',
      content: {
        'application/json': {
          schema: z.object({
            data: z.array(outgoingWebhooks.outgoingWebhookSchema),
            pagination: paginationSchema,
          }),
        },
      },
    },
    ...commonErrorResponses,
  },
})

export function registerListOutgoingWebhooks(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const page = await outgoingWebhooks.listOutgoingWebhooks(
      deps.core,
      c.var.tenant,
      c.req.valid('query'),
    )
    return c.json(page, 200)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { outgoingWebhooks } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { webhookIdParamsSchema } from './params'

const route = createRoute({
  method: 'get',
  path: '/v1/outgoing-webhooks/{id}',
  tags: ['Outgoing webhooks'],
  summary: 'Get a webhook endpoint, with why it is disabled if it is',
  security: [{ bearerAuth: [] }],
  request: { params: webhookIdParamsSchema },
  responses: {
    200: {
      description: 'The endpoint (never its secret)',
      content: {
        'application/json': { schema: z.object({ data: outgoingWebhooks.outgoingWebhookSchema }) },
      },
    },
    ...commonErrorResponses,
  },
})

export function registerGetOutgoingWebhook(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const webhook = await outgoingWebhooks.getOutgoingWebhook(
      deps.core,
      c.var.tenant,
      c.req.valid('param').id,
    )
    return c.json({ data: webhook }, 200)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { outgoingWebhooks } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { webhookIdParamsSchema } from './params'

const route = createRoute({
  method: 'patch',
  path: '/v1/outgoing-webhooks/{id}',
  tags: ['Outgoing webhooks'],
  summary: 'Change the url, events, description, or enable / disable an endpoint',
  description:
    'Re-enabling (`"enabled": true`) clears why it was disabled. Deliveries that failed meanwhile can be replayed.',
  security: [{ bearerAuth: [] }],
  request: {
    params: webhookIdParamsSchema,
    body: {
      required: true,
      content: { 'application/json': { schema: outgoingWebhooks.updateOutgoingWebhookSchema } },
    },
  },
  responses: {
    200: {
      description: 'The updated endpoint',
      content: {
        'application/json': { schema: z.object({ data: outgoingWebhooks.outgoingWebhookSchema }) },
      },
    },
    ...commonErrorResponses,
  },
})

export function registerUpdateOutgoingWebhook(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const webhook = await outgoingWebhooks.updateOutgoingWebhook(
      deps.core,
      deps.config.webhooks,
      c.var.tenant,
      c.req.valid('param').id,
      c.req.valid('json'),
    )
    return c.json({ data: webhook }, 200)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { outgoingWebhooks } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses, errorResponse } from '../../lib/errors'
import type { Router } from '../../lib/router'

const route = createRoute({
  method: 'post',
  path: '/v1/outgoing-webhooks',
  tags: ['Outgoing webhooks'],
  summary: 'Register a webhook endpoint',
  description:
    'Events of the listed types (optionally only about one WABA) are POSTed to `url`, signed per Standard Webhooks. Without `secret` one is generated; it is returned in this response only. Supports `Idempotency-Key`.',
  security: [{ bearerAuth: [] }],
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: outgoingWebhooks.createOutgoingWebhookSchema } },
    },
  },
  responses: {
    201: {
      description: 'The new endpoint, with its secret',
      content: {
        'application/json': { schema: z.object({ data: outgoingWebhooks.outgoingWebhookSchema }) },
      },
    },
    ...commonErrorResponses,
    409: errorResponse('The Idempotency-Key was used with another request'),
  },
})

export function registerCreateOutgoingWebhook(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const webhook = await outgoingWebhooks.createOutgoingWebhook(
      deps.core,
      deps.config.webhooks,
      c.var.tenant,
      c.req.valid('json'),
    )
    return c.json({ data: webhook }, 201)
  })
}

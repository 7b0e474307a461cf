import { createRoute } from '@hono/zod-openapi'
import { outgoingWebhooks } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { webhookIdParamsSchema } from './params'

const route = createRoute({
  method: 'post',
  path: '/v1/outgoing-webhooks/{id}/rotate-secret',
  tags: ['Outgoing webhooks'],
  summary: 'Rotate the signing secret',
  description:
    'Sets a new secret (generated unless `secret` is given) and returns it. For 24 hours the previous secret also signs every delivery, so `webhook-signature` carries two `v1,` signatures and either verifies.',
  security: [{ bearerAuth: [] }],
  request: {
    params: webhookIdParamsSchema,
    body: {
      required: false,
      content: { 'application/json': { schema: outgoingWebhooks.rotateSecretSchema } },
    },
  },
  responses: {
    200: {
      description: 'The endpoint, with its new secret',
      content: {
        'application/json': { schema: z.object({ data: outgoingWebhooks.outgoingWebhookSchema }) },
      },
    },
    ...commonErrorResponses,
  },
})

export function registerRotateOutgoingWebhookSecret(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const webhook = await outgoingWebhooks.rotateOutgoingWebhookSecret(
      deps.core,
      c.var.tenant,
      c.req.valid('param').id,
      c.req.valid('json') ?? {},
    )
    return c.json({ data: webhook }, 200)
  })
}

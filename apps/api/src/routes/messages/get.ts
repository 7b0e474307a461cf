import { createRoute } from '@hono/zod-openapi'
import { messages } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'

const paramsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .meta({ param: { name: 'id', in: 'path' }, example: 'wmsg_2Vh7yX0kq3N9fB1cR4tLm8' }),
})

const route = createRoute({
  method: 'get',
  path: '/v1/messages/{id}',
  tags: ['Messages'],
  summary: 'Get a sent message with its status history',
  security: [{ bearerAuth: [] }],
  request: { params: paramsSchema },
  responses: {
    200: {
      description: 'The message',
      content: { 'application/json': { schema: z.object({ data: messages.messageSchema }) } },
    },
    ...commonErrorResponses,
  },
})

export function registerGetMessage(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const message = await messages.getMessage(deps.core, c.var.tenant, c.req.valid('param').id)
    return c.json({ data: message }, 200)
  })
}

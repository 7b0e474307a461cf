import { createRoute } from '@hono/zod-openapi'
import { messages, paginationQuerySchema, paginationSchema } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { phoneIdParamsSchema } from './get'

const route = createRoute({
  method: 'get',
  path: '/v1/phones/{id}/messages',
  tags: ['Messages'],
  summary: 'List the messages sent from this number, newest first, with their statuses',
  security: [{ bearerAuth: [] }],
  request: { params: phoneIdParamsSchema, query: paginationQuerySchema },
  responses: {
    200: {
      description: 'A page of messages',
      content: {
        'application/json': {
          schema: z.object({ data: z.array(messages.messageSchema), pagination: paginationSchema }),
        },
      },
    },
    ...commonErrorResponses,
  },
})

export function registerListMessages(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const page = await messages.listMessages(
      deps.core,
      c.var.tenant,
      c.req.valid('param').id,
      c.req.valid('query'),
    )
    return c.json(page, 200)
  })
}

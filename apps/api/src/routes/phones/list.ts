import { createRoute } from '@hono/zod-openapi'
import { paginationQuerySchema, paginationSchema, phones } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'

const route = createRoute({
  method: 'get',
  path: '/v1/phones',
  tags: ['Phones'],
  summary: 'List connected phone numbers, newest first',
  security: [{ bearerAuth: [] }],
  request: { query: paginationQuerySchema },
  responses: {
    200: {
      description: 'A page of phone numbers',
      content: {
        'application/json': {
          schema: z.object({ data: z.array(phones.phoneSchema), pagination: paginationSchema }),
        },
      },
    },
    ...commonErrorResponses,
  },
})

export function registerListPhones(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const page = await phones.listPhones(deps.core, c.var.tenant, c.req.valid('query'))
    return c.json(page, 200)
  })
}

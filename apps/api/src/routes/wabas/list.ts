import { createRoute } from '@hono/zod-openapi'
import { paginationQuerySchema, paginationSchema, wabas } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'

const route = createRoute({
  method: 'get',
  path: '/v1/wabas',
  tags: ['WABAs'],
  summary: 'List connected WhatsApp Business Accounts, newest first',
  security: [{ bearerAuth: [] }],
  request: { query: paginationQuerySchema },
  responses: {
    200: {
      description: 'A page of WABAs',
      content: {
        'application/json': {
          schema: z.object({ data: z.array(wabas.wabaSchema), pagination: paginationSchema }),
        },
      },
    },
    ...commonErrorResponses,
  },
})

export function registerListWabas(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const page = await wabas.listWabas(deps.core, c.var.tenant, c.req.valid('query'))
    return c.json(page, 200)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { links, paginationQuerySchema, paginationSchema } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'

const route = createRoute({
  method: 'get',
  path: '/v1/onboarding-links',
  tags: ['Onboarding links'],
  summary: 'List onboarding links, newest first',
  security: [{ bearerAuth: [] }],
  request: { query: paginationQuerySchema },
  responses: {
    200: {
      description: 'A page of links',
      content: {
        'application/json': {
          schema: z.object({
            data: z.array(links.onboardingLinkSchema),
            pagination: paginationSchema,
          }),
        },
      },
    },
    ...commonErrorResponses,
  },
})

export function registerListOnboardingLinks(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const page = await links.listOnboardingLinks(deps.core, c.var.tenant, c.req.valid('query'))
    return c.json(page, 200)
  })
}

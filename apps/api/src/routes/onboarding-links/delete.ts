import { createRoute } from '@hono/zod-openapi'
import { links } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses, errorResponse } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { linkIdParamsSchema } from './get'

const route = createRoute({
  method: 'delete',
  path: '/v1/onboarding-links/{id}',
  tags: ['Onboarding links'],
  summary: 'Delete a pending or expired onboarding link',
  security: [{ bearerAuth: [] }],
  request: { params: linkIdParamsSchema },
  responses: {
    204: { description: 'Deleted; its hosted page now answers 404' },
    ...commonErrorResponses,
    409: errorResponse('The link is completed (`link_not_pending`)'),
  },
})

export function registerDeleteOnboardingLink(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    await links.deleteOnboardingLink(deps.core, c.var.tenant, c.req.valid('param').id)
    return c.body(null, 204)
  })
}

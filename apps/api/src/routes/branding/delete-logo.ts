import { createRoute } from '@hono/zod-openapi'
import { branding } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { brandingResponse } from './get'

const route = createRoute({
  method: 'delete',
  path: '/v1/organization/branding/logo',
  tags: ['Branding'],
  summary: 'Remove the logo',
  security: [{ bearerAuth: [] }],
  responses: {
    200: { description: 'The branding without a logo', ...brandingResponse },
    ...commonErrorResponses,
  },
})

export function registerDeleteBrandingLogo(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    return c.json({ data: await branding.removeBrandingLogo(deps.core, c.var.tenant) }, 200)
  })
}

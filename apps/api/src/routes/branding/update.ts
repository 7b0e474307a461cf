import { createRoute } from '@hono/zod-openapi'
import { branding } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { BRANDING_PATH, brandingResponse } from './get'

const route = createRoute({
  method: 'patch',
  path: BRANDING_PATH,
  tags: ['Branding'],
  summary: 'Change the display name, accent colour or support contact',
  description:
    'Fields left out keep their value; null clears one. An accent colour on which white text fails WCAG AA (4.5:1) is refused with a 400 naming `accentColor`.',
  security: [{ bearerAuth: [] }],
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: branding.updateBrandingSchema } },
    },
  },
  responses: {
    200: { description: 'The branding after the change', ...brandingResponse },
    ...commonErrorResponses,
  },
})

export function registerUpdateBranding(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const updated = await branding.updateBranding(deps.core, c.var.tenant, c.req.valid('json'))
    return c.json({ data: updated }, 200)
  })
}

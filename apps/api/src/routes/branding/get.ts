import { createRoute } from '@hono/zod-openapi'
import { branding } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'

export const BRANDING_PATH = '/v1/organization/branding'

/** The answer of every branding route: the branding as it now is. */
export const brandingResponse = {
  content: { 'application/json': { schema: z.object({ data: branding.brandingSchema }) } },
}

const route = createRoute({
  method: 'get',
  path: BRANDING_PATH,
  tags: ['Branding'],
  summary: 'What the hosted pages of this mode show of your organisation',
  description:
    'Branding belongs to the organisation and the key’s mode: a test key reads and changes what test links show, a live key what live links show.',
  security: [{ bearerAuth: [] }],
  responses: {
    200: { description: 'The branding (nulls where unset)', ...brandingResponse },
    ...commonErrorResponses,
  },
})

export function registerGetBranding(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    return c.json({ data: await branding.getBranding(deps.core, c.var.tenant) }, 200)
  })
}

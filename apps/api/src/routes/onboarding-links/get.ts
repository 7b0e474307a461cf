import { createRoute } from '@hono/zod-openapi'
import { links } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'

export const linkIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .meta({ param: { name: 'id', in: 'path' }, example: '550e8400-e29b-41d4-a716-446655440000' }),
})

const route = createRoute({
  method: 'get',
  path: '/v1/onboarding-links/{id}',
  tags: ['Onboarding links'],
  summary: 'Get an onboarding link, with the connected phone once completed',
  security: [{ bearerAuth: [] }],
  request: { params: linkIdParamsSchema },
  responses: {
    200: {
      description: 'The link',
      content: { 'application/json': { schema: z.object({ data: links.onboardingLinkSchema }) } },
    },
    ...commonErrorResponses,
  },
})

export function registerGetOnboardingLink(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const link = await links.getOnboardingLink(deps.core, c.var.tenant, c.req.valid('param').id)
    return c.json({ data: link }, 200)
  })
}

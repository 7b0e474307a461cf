import { createRoute } from '@hono/zod-openapi'
import { links } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses, errorResponse } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { linkIdParamsSchema } from './get'

const route = createRoute({
  method: 'post',
  path: '/v1/onboarding-links/{id}/renew',
  tags: ['Onboarding links'],
  summary: 'Renew a pending or expired onboarding link',
  description:
    'Gives the link a new expiry, `expiresInSeconds` from now (default 30 days): it is pending again, with the same id and `hostedUrl`, and raises `onboarding_link.expired` again when the new expiry passes. Supports `Idempotency-Key`.',
  security: [{ bearerAuth: [] }],
  request: {
    params: linkIdParamsSchema,
    body: {
      required: false,
      content: { 'application/json': { schema: links.renewOnboardingLinkSchema } },
    },
  },
  responses: {
    200: {
      description: 'The renewed link',
      content: { 'application/json': { schema: z.object({ data: links.onboardingLinkSchema }) } },
    },
    ...commonErrorResponses,
    409: errorResponse(
      'The link is completed (`link_completed`), or the Idempotency-Key was used with another request',
    ),
  },
})

export function registerRenewOnboardingLink(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const link = await links.renewOnboardingLink(
      deps.core,
      c.var.tenant,
      c.req.valid('param').id,
      c.req.valid('json') ?? {},
    )
    return c.json({ data: link }, 200)
  })
}

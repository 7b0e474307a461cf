import { createRoute } from '@hono/zod-openapi'
import { links } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses, errorResponse } from '../../lib/errors'
import type { Router } from '../../lib/router'

const route = createRoute({
  method: 'post',
  path: '/v1/onboarding-links',
  tags: ['Onboarding links'],
  summary: 'Create an onboarding link',
  description:
    'Creates a link to send to your end-user. Supports `Idempotency-Key`. `webhookSecret` is returned in this response only.',
  security: [{ bearerAuth: [] }],
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: links.createOnboardingLinkSchema } },
    },
  },
  responses: {
    201: {
      description: 'The new link',
      content: { 'application/json': { schema: z.object({ data: links.onboardingLinkSchema }) } },
    },
    ...commonErrorResponses,
    409: errorResponse(
      'The Idempotency-Key was used with another request, or live mode has no Meta app on this service (`meta_not_configured`)',
    ),
  },
})

export function registerCreateOnboardingLink(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const link = await links.createOnboardingLink(
      deps.core,
      { metaApps: deps.metaApps, webhookTargets: deps.config.webhooks },
      c.var.tenant,
      c.req.valid('json'),
    )
    return c.json({ data: link }, 201)
  })
}

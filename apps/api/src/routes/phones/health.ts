import { createRoute } from '@hono/zod-openapi'
import { phones } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { phoneIdParamsSchema } from './get'

const route = createRoute({
  method: 'get',
  path: '/v1/phones/{id}/health',
  tags: ['Phones'],
  summary: 'What the number can do right now, and what stands in the way',
  description:
    'Reads Meta’s health_status and our webhook subscription live; if Meta cannot be reached, the last stored answer is used and `graphLookupErrors` says why. For inbound-first use, `capabilities.canReceiveMessages` is the signal.',
  security: [{ bearerAuth: [] }],
  request: { params: phoneIdParamsSchema },
  responses: {
    200: {
      description: 'Capabilities and issues',
      content: { 'application/json': { schema: z.object({ data: phones.phoneHealthSchema }) } },
    },
    ...commonErrorResponses,
  },
})

export function registerGetPhoneHealth(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const health = await phones.getPhoneHealth(
      deps.core,
      deps.metaApps,
      c.var.tenant,
      c.req.valid('param').id,
    )
    return c.json({ data: health }, 200)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { wabas } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'

export const wabaIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .meta({ param: { name: 'id', in: 'path' }, example: '770e8400-e29b-41d4-a716-446655440002' }),
})

const route = createRoute({
  method: 'get',
  path: '/v1/wabas/{id}',
  tags: ['WABAs'],
  summary: 'Get a connected WhatsApp Business Account',
  security: [{ bearerAuth: [] }],
  request: { params: wabaIdParamsSchema },
  responses: {
    200: {
      description: 'The WABA',
      content: { 'application/json': { schema: z.object({ data: wabas.wabaSchema }) } },
    },
    ...commonErrorResponses,
  },
})

export function registerGetWaba(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const waba = await wabas.getWaba(deps.core, c.var.tenant, c.req.valid('param').id)
    return c.json({ data: waba }, 200)
  })
}

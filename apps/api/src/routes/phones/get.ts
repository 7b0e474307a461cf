import { createRoute } from '@hono/zod-openapi'
import { phones } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'

export const phoneIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .meta({ param: { name: 'id', in: 'path' }, example: '660e8400-e29b-41d4-a716-446655440001' }),
})

const route = createRoute({
  method: 'get',
  path: '/v1/phones/{id}',
  tags: ['Phones'],
  summary: 'Get a phone number, with its metadata and connected Meta account',
  security: [{ bearerAuth: [] }],
  request: { params: phoneIdParamsSchema },
  responses: {
    200: {
      description: 'The phone number',
      content: { 'application/json': { schema: z.object({ data: phones.phoneDetailSchema }) } },
    },
    ...commonErrorResponses,
  },
})

export function registerGetPhone(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const phone = await phones.getPhone(deps.core, c.var.tenant, c.req.valid('param').id)
    return c.json({ data: phone }, 200)
  })
}

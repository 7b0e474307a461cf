import { createRoute } from '@hono/zod-openapi'
import { phones, wabas } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { wabaIdParamsSchema } from './get'

export const connectionSchema = z
  .object({
    waba: wabas.wabaSchema,
    connectedAccount: wabas.connectedAccountSchema,
    phones: z.array(phones.phoneSchema),
  })
  .meta({ id: 'WabaConnection' })

const route = createRoute({
  method: 'get',
  path: '/v1/wabas/{id}/connection',
  tags: ['WABAs'],
  summary: 'The Meta account behind a WABA, and its phones',
  description:
    '`connectedAccount.graphLookupErrors` is non-fatal: when a live Graph lookup fails, the IDs stored during onboarding are still returned.',
  security: [{ bearerAuth: [] }],
  request: { params: wabaIdParamsSchema },
  responses: {
    200: {
      description: 'The connection',
      content: { 'application/json': { schema: z.object({ data: connectionSchema }) } },
    },
    ...commonErrorResponses,
  },
})

export function registerGetWabaConnection(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const connection = await wabas.getWabaConnection(
      deps.core,
      deps.metaApps,
      c.var.tenant,
      c.req.valid('param').id,
    )
    return c.json({ data: connection }, 200)
  })
}

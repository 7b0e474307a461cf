import { createRoute } from '@hono/zod-openapi'
import { sessions } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { SESSIONS_PATH, SESSIONS_TAG, sessionParamsSchema } from './params'

const route = createRoute({
  method: 'delete',
  path: `${SESSIONS_PATH}/{id}`,
  tags: [SESSIONS_TAG],
  summary: 'Delete a session',
  description:
    'Deletes the session in any status: a later GET answers 404 and its URL stops working. The WABA and phones a completed session connected stay connected.',
  security: [{ bearerAuth: [] }],
  request: { params: sessionParamsSchema },
  responses: {
    204: { description: 'Deleted' },
    ...commonErrorResponses,
  },
})

export function registerDeleteSession(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    await sessions.deleteSession(deps.core, c.var.tenant, c.req.valid('param').id)
    return c.body(null, 204)
  })
}

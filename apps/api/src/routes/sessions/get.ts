import { createRoute } from '@hono/zod-openapi'
import { sessions } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { SESSIONS_PATH, SESSIONS_TAG, sessionParamsSchema } from './params'

const route = createRoute({
  method: 'get',
  path: `${SESSIONS_PATH}/{id}`,
  tags: [SESSIONS_TAG],
  summary: 'Get a session: its status, and the connected WABA and phones once completed',
  security: [{ bearerAuth: [] }],
  request: { params: sessionParamsSchema },
  responses: {
    200: {
      description: 'The session',
      content: { 'application/json': { schema: sessions.sessionSchema } },
    },
    ...commonErrorResponses,
  },
})

export function registerGetSession(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const session = await sessions.getSession(deps.core, c.var.tenant, c.req.valid('param').id)
    return c.json(session, 200)
  })
}

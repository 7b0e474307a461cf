import { createRoute } from '@hono/zod-openapi'
import { sessions } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses, errorResponse } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { SESSIONS_PATH, SESSIONS_TAG, sessionParamsSchema } from './params'

const route = createRoute({
  method: 'delete',
  path: `${SESSIONS_PATH}/{id}`,
  tags: [SESSIONS_TAG],
  summary: 'Delete (cancel) a session',
  description:
    'A pending session becomes `cancelled` and its URL stops working; the record stays readable. A session that already ended is returned unchanged.',
  security: [{ bearerAuth: [] }],
  request: { params: sessionParamsSchema },
  responses: {
    200: {
      description: 'The session, now cancelled (or already ended)',
      content: { 'application/json': { schema: sessions.sessionSchema } },
    },
    ...commonErrorResponses,
    409: errorResponse('The session is completed (`session_already_completed`)'),
  },
})

export function registerDeleteSession(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const session = await sessions.cancelSession(deps.core, c.var.tenant, c.req.valid('param').id)
    return c.json(session, 200)
  })
}

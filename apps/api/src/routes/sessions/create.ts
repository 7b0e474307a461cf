import { createRoute } from '@hono/zod-openapi'
import { sessions } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses, errorResponse } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { SESSIONS_PATH, SESSIONS_TAG } from './params'

const route = createRoute({
  method: 'post',
  path: SESSIONS_PATH,
  tags: [SESSIONS_TAG],
  summary: 'Create an embedded-signup session (redirect flow)',
  description:
    'Returns a one-time `url` (valid 15 minutes) for your end-user. After the signup they are sent to `redirect_uri?status=success&state=…` or `?status=error&state=…&error=<code>` with `error` one of `session_expired`, `waba_already_connected`, `meta_api_error`, `code_expired`, `signup_failed`. Supports `Idempotency-Key`.',
  security: [{ bearerAuth: [] }],
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: sessions.createSessionSchema } },
    },
  },
  responses: {
    201: {
      description: 'Session created successfully',
      content: { 'application/json': { schema: sessions.createdSessionSchema } },
    },
    ...commonErrorResponses,
    409: errorResponse(
      'The Idempotency-Key was used with another request, or live mode has no Meta app on this service (`meta_not_configured`)',
    ),
  },
})

export function registerCreateSession(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const created = await sessions.createSession(
      deps.core,
      deps.metaApps,
      c.var.tenant,
      c.req.valid('json'),
    )
    return c.json(created, 201)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { sessions, signupCompletion } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses, errorResponse } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { SESSIONS_PATH, SESSIONS_TAG, sessionParamsSchema } from './params'

const route = createRoute({
  method: 'post',
  path: `${SESSIONS_PATH}/{id}/complete`,
  tags: [SESSIONS_TAG],
  summary: 'Complete an interrupted session from its WABA id',
  description:
    'For a signup finished on Meta’s side whose redirect never came back (e.g. after a PARTNER_APP_INSTALLED webhook). Accepts only a WABA this session’s signup produced: the WABA id its hosted page received in Meta’s WA_EMBEDDED_SIGNUP FINISH message (kept even when the code exchange then failed), or one with a PARTNER_APP_INSTALLED received after the session was created that no other session or link has used (this completion claims it). Reads the WABA with the platform’s system-user token (`META_SYSTEM_USER_TOKEN`; the sandbox in test mode), subscribes the app and registers the number with a generated PIN, as the page does; pending, expired and failed sessions can be completed.',
  security: [{ bearerAuth: [] }],
  request: {
    params: sessionParamsSchema,
    body: {
      required: true,
      content: { 'application/json': { schema: sessions.completeSessionSchema } },
    },
  },
  responses: {
    200: {
      description: 'The completed session',
      content: { 'application/json': { schema: sessions.sessionSchema } },
    },
    ...commonErrorResponses,
    409: errorResponse(
      'The session is already completed or cancelled, the WABA is connected to an organisation (`waba_already_connected`), or its install was used by another session or link (`waba_install_already_claimed`)',
    ),
    422: errorResponse(
      'Nothing shows this session’s signup produced the WABA (`waba_not_from_this_signup`), its only install predates the session (`waba_installed_before_session`), Meta does not let this platform read it (`waba_not_accessible`), or it has no phone number',
    ),
    502: errorResponse('Meta failed (`meta_api_error`)'),
    503: errorResponse('No system-user token or Meta app is configured for this mode'),
  },
})

export function registerCompleteSession(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const result = await signupCompletion.completeSessionFromWaba(
      deps.core,
      deps.metaApps,
      c.var.tenant,
      c.req.valid('param').id,
      c.req.valid('json'),
    )
    return c.json(result.session, 200)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { businessProfiles, signupCompletion } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses, errorResponse } from '../../lib/errors'
import type { Router } from '../../lib/router'

const route = createRoute({
  method: 'post',
  path: '/v1/organization/whatsapp/business-profiles/callback',
  tags: ['Business profiles'],
  summary: 'Complete the popup flow with the code from FB.login',
  description:
    'Your own page runs `FB.login` (Embedded Signup) and your backend posts the code here within its 30 seconds. Exchanges it, reads the WABA and its phones, subscribes and registers (not in coexistence), stores them and sends `phone_number.connected`. Supports `Idempotency-Key`.',
  security: [{ bearerAuth: [] }],
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: businessProfiles.businessProfileCallbackSchema } },
    },
  },
  responses: {
    201: {
      description: 'Business profile created successfully',
      content: { 'application/json': { schema: businessProfiles.businessProfileSchema } },
    },
    ...commonErrorResponses,
    400: errorResponse(
      'Invalid request, or `code_expired`: the code expired (30 seconds) or was already used',
    ),
    409: errorResponse(
      '`waba_already_connected`: this WABA is already connected, to this or another organisation (a WABA has one owner per mode)',
    ),
    422: errorResponse('The WABA was not shared with this app, or has no phone number'),
    502: errorResponse('`meta_api_error`: Meta failed during the token exchange or a read'),
    503: errorResponse(
      '`meta_api_error` (Meta is rate limiting) or Meta is not configured for live mode',
    ),
  },
})

export function registerBusinessProfileCallback(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const result = await signupCompletion.completeBusinessProfile(
      deps.core,
      deps.metaApps,
      c.var.tenant,
      c.req.valid('json'),
    )
    return c.json(result.profile, 201)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { signupCompletion } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { errorEnvelope, errorResponseSchema } from '../../lib/errors'
import type { Router } from '../../lib/router'

const failureSchema = errorResponseSchema.extend({
  redirectUrl: z.string().nullable().meta({ description: 'The customer’s error redirect, if any' }),
})

const route = createRoute({
  method: 'post',
  path: '/signup/{id}/callback',
  tags: ['Hosted pages'],
  summary: 'Completes Embedded Signup for a link (called by the hosted page)',
  // The hosted page's own endpoint, guarded by the nonce it was rendered with; not for integrators.
  hide: true,
  request: {
    params: z.object({ id: z.string().min(1).max(64) }),
    body: {
      required: true,
      content: { 'application/json': { schema: signupCompletion.signupCallbackSchema } },
    },
  },
  responses: {
    200: {
      description: 'Connected, or the end-user cancelled',
      content: {
        'application/json': { schema: z.object({ data: signupCompletion.signupOutcomeSchema }) },
      },
    },
    400: { description: 'Invalid', content: { 'application/json': { schema: failureSchema } } },
  },
})

export function registerSignupCallback(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    c.header('Cache-Control', 'no-store')
    const result = await signupCompletion.handleSignupCallback(
      deps.core,
      { metaApps: deps.metaApps },
      c.req.valid('param').id,
      c.req.valid('json'),
    )
    if (result.ok) {
      return c.json({ data: result.outcome }, 200)
    }
    c.var.logger.warn({ code: result.error.code }, 'signup completion failed')
    return c.json(
      { ...errorEnvelope(result.error), redirectUrl: result.redirectUrl },
      result.error.status as 400,
    )
  })
}

import { createRoute } from '@hono/zod-openapi'
import { AppError, links } from '@onboard/core'
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import type { AppDeps, AppEnv } from '../../lib/env'
import { errorResponse } from '../../lib/errors'
import type { Router } from '../../lib/router'

/** A report is a few hundred bytes; anything bigger is not from our page. */
const MAX_REPORT_BYTES = 2048

/** Before the body is validated: an oversized report is a 413, not a field error. */
const limitSize: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (Number(c.req.header('content-length')) > MAX_REPORT_BYTES) {
    throw new AppError('payload_too_large', 413, 'A page report must be at most 2 KB.')
  }
  return next()
}

const route = createRoute({
  method: 'post',
  middleware: [limitSize] as const,
  path: '/signup/{id}/activity',
  tags: ['Hosted pages'],
  summary: 'Records a step of the hosted page (opened, Connect pressed, Meta’s answer)',
  // The hosted page's own endpoint, guarded by the nonce it was rendered with; not for integrators.
  hide: true,
  request: {
    params: z.object({ id: z.string().min(1).max(64) }),
    body: { required: true, content: { 'application/json': { schema: links.linkActivitySchema } } },
  },
  responses: {
    200: {
      description: 'Recorded (false: this link already has its "opened")',
      content: {
        'application/json': { schema: z.object({ data: z.object({ recorded: z.boolean() }) }) },
      },
    },
    403: errorResponse('The nonce is not this link’s page’s'),
    404: errorResponse('No such link'),
    409: errorResponse('The link is completed or expired: its page has nothing to report'),
    413: errorResponse('The report is too large'),
  },
})

/**
 * The hosted page's script reports what happens on it, so the console's timeline shows it.
 * Only a POST carrying the page's nonce records anything: a GET of the page (a mail scanner,
 * a link preview) records nothing.
 */
export function registerSignupActivity(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    c.header('Cache-Control', 'no-store')
    const result = await links.recordLinkActivity(
      deps.core,
      c.req.valid('param').id,
      c.req.valid('json'),
    )
    return c.json({ data: result }, 200)
  })
}

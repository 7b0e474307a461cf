import { createRoute } from '@hono/zod-openapi'
import { messages } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses, errorResponse } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { phoneIdParamsSchema } from './get'

const route = createRoute({
  method: 'get',
  path: '/v1/phones/{id}/templates',
  tags: ['Messages'],
  summary: 'The message templates of this number’s WhatsApp Business Account, read from Meta',
  security: [{ bearerAuth: [] }],
  request: { params: phoneIdParamsSchema },
  responses: {
    200: {
      description: 'Every template, with its language, category, status and components',
      content: {
        'application/json': { schema: z.object({ data: z.array(messages.messageTemplateSchema) }) },
      },
    },
    ...commonErrorResponses,
    409: errorResponse('Meta rejected the business token (`business_token_invalid`)'),
    429: errorResponse('Meta’s rate limits (`rate_limited`), with `Retry-After`'),
    503: errorResponse('Meta is unavailable (`meta_unavailable`), with `Retry-After`'),
  },
})

export function registerListTemplates(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const templates = await messages.listTemplates(
      deps.core,
      deps.metaApps,
      c.var.tenant,
      c.req.valid('param').id,
    )
    return c.json({ data: templates }, 200)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { paginationSchema, sessions } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { SESSIONS_PATH, SESSIONS_TAG } from './params'

const route = createRoute({
  method: 'get',
  path: SESSIONS_PATH,
  tags: [SESSIONS_TAG],
  summary: 'List embedded-signup sessions, newest first',
  description:
    'Filter by your metadata with `?metadata[externalUserId]=user_123` (several filters must all match) and by `status`.',
  security: [{ bearerAuth: [] }],
  request: { query: sessions.listSessionsQuerySchema },
  responses: {
    200: {
      description: 'A page of sessions',
      content: {
        'application/json': {
          schema: z.object({ data: z.array(sessions.sessionSchema), pagination: paginationSchema }),
        },
      },
    },
    ...commonErrorResponses,
  },
})

export function registerListSessions(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const query = c.req.valid('query')
    const metadataFilters = sessions.metadataFiltersOf(new URL(c.req.url).searchParams)
    const page = await sessions.listSessions(deps.core, c.var.tenant, {
      page: query.page,
      limit: query.limit,
      status: query.status,
      metadataFilters,
    })
    return c.json(page, 200)
  })
}

import { createRoute } from '@hono/zod-openapi'
import { pingDb } from '@onboard/db'
import { z } from 'zod'
import type { AppDeps } from '../lib/env'
import type { ApiMetrics } from '../lib/metrics'
import type { Router } from '../lib/router'

const healthSchema = z.object({ status: z.literal('ok') })
const readySchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({ database: z.enum(['ok', 'down']), redis: z.enum(['ok', 'down']) }),
})

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['Operations'],
  summary: 'The process is up',
  responses: {
    200: { description: 'Up', content: { 'application/json': { schema: healthSchema } } },
  },
})

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['Operations'],
  summary: 'The database and Redis are reachable',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: readySchema } } },
    503: {
      description: 'A dependency is down',
      content: { 'application/json': { schema: readySchema } },
    },
  },
})

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['Operations'],
  summary: 'Prometheus metrics of this process (no API key; no tenant data)',
  responses: {
    200: {
      description: 'Prometheus text exposition format',
      content: { 'text/plain': { schema: z.string() } },
    },
  },
})

export function registerHealthRoutes(router: Router, deps: AppDeps, metrics: ApiMetrics) {
  router.openapi(metricsRoute, async (c) =>
    c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  )
  router.openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
  router.openapi(readyz, async (c) => {
    const [database, redis] = await Promise.all([pingDb(deps.core.db), deps.pingRedis()])
    const body = {
      status: database && redis ? ('ok' as const) : ('unavailable' as const),
      checks: {
        database: database ? ('ok' as const) : ('down' as const),
        redis: redis ? ('ok' as const) : ('down' as const),
      },
    }
    return database && redis ? c.json(body, 200) : c.json(body, 503)
  })
}

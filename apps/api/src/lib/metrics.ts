import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import { Histogram, Registry } from 'prom-client'
import type { AppEnv } from './env'
import { registerProcessMetrics } from './process-metrics'

/**
 * The API's Prometheus metrics. Labels carry route patterns (`/v1/onboarding-links/:id`),
 * never raw paths, so no id or tenant reaches /metrics and the series stay few.
 */
export interface ApiMetrics {
  registry: Registry
  requestDuration: Histogram<'method' | 'route' | 'status'>
}

/**
 * One registry per process, with Node's own metrics (CPU, memory, event-loop lag). In the
 * one-process mode the worker role registers its metrics here too, so one /metrics shows both.
 */
export function createProcessRegistry(): Registry {
  const registry = new Registry()
  registerProcessMetrics(registry)
  return registry
}

export function createApiMetrics(registry: Registry = new Registry()): ApiMetrics {
  return {
    registry,
    requestDuration: new Histogram({
      name: 'onboard_http_request_duration_seconds',
      help: 'HTTP requests served by the API, by route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  }
}

/** Times every request; the last matched route is the handler's pattern (or a mount's `/*`). */
export function measureRequests(metrics: ApiMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const stopTimer = metrics.requestDuration.startTimer()
    await next()
    stopTimer({ method: c.req.method, route: routePath(c, -1), status: c.res.status })
  }
}

import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import type { AppEnv } from '../lib/env'
import { CLIENT_CLOSED_REQUEST_STATUS } from '../lib/errors'

const VALID_INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/

/**
 * Gives every request an id (echoing a sane incoming X-Request-Id), a child logger that
 * carries it, and one structured log line when it ends.
 */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id')
    const requestId =
      incoming && VALID_INCOMING_ID.test(incoming) ? incoming : `req_${randomUUID()}`
    const log = logger.child({ requestId })
    c.set('requestId', requestId)
    c.set('logger', log)
    // Set before the handler answers, so it goes out with the response Hono builds. Setting
    // it on `c.res` afterwards would make the node adapter build a full web Response.
    c.header('X-Request-Id', requestId)
    const started = performance.now()
    await next()
    const status = c.res.status
    const line = {
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    }
    if (status >= 500) log.error(line, 'request')
    else if (status === CLIENT_CLOSED_REQUEST_STATUS) {
      log.info({ ...line, code: 'client_closed_request' }, 'request')
    } else log.info(line, 'request')
  }
}

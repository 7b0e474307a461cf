import { AppError } from '@onboard/core'
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../lib/env'

export const MAX_BODY_BYTES = 64 * 1024

const bodyLimitMiddleware = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError('payload_too_large', 413, 'The request body must be at most 64 KB.')
  },
})

const METHODS_WITHOUT_BODY = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS'])

/**
 * 413 above 64 KB. Skipped for methods without a body: the check touches the raw request,
 * which makes the node adapter build a full Request object on every read.
 */
export const limitBody: MiddlewareHandler<AppEnv> = (c, next) =>
  METHODS_WITHOUT_BODY.has(c.req.method) ? next() : bodyLimitMiddleware(c, next)

/**
 * A body, when there is one, must be JSON: another content type is a 415 and text that
 * does not parse is a 400, both before any handler runs. Hono caches the parsed body, so
 * the validators read it again for free.
 */
export const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (METHODS_WITHOUT_BODY.has(c.req.method)) return next()
  const text = await c.req.text()
  if (text.length === 0) return next()
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
    throw new AppError(
      'unsupported_media_type',
      415,
      'Send the body as JSON with Content-Type: application/json.',
    )
  }
  try {
    await c.req.json()
  } catch {
    throw new AppError('invalid_json', 400, 'The request body is not valid JSON.')
  }
  return next()
}

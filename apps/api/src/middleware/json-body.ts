import { AppError } from '@onboard/core'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../lib/env'
import { readBody } from '../lib/read-body'

export const MAX_BODY_BYTES = 64 * 1024

const METHODS_WITHOUT_BODY = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS'])
const JSON_CONTENT_TYPE = /^application\/(.+\+)?json\s*(;|$)/i

const tooLarge = () =>
  new AppError('payload_too_large', 413, 'The request body must be at most 64 KB.')

/**
 * A body, when there is one, is at most 64 KB (413) and JSON: another content type is a 415
 * and text that does not parse is a 400, all before any handler runs. The text stays in
 * Hono's body cache, so the validators read it again without touching the socket.
 */
export const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (METHODS_WITHOUT_BODY.has(c.req.method)) return next()
  const body = await readBody(c, MAX_BODY_BYTES, tooLarge)
  if (body.length === 0) return next()
  if (!JSON_CONTENT_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new AppError(
      'unsupported_media_type',
      415,
      'Send the body as JSON with Content-Type: application/json.',
    )
  }
  try {
    JSON.parse(await c.req.text())
  } catch {
    throw new AppError('invalid_json', 400, 'The request body is not valid JSON.')
  }
  return next()
}

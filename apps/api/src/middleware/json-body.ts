import { AppError, assertAcceptableJsonBody } from '@onboard/core'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../lib/env'
import { cacheBodyText, readBody } from '../lib/read-body'

const MAX_BODY_BYTES = 64 * 1024

const METHODS_WITHOUT_BODY = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS'])
const JSON_CONTENT_TYPE = /^application\/(.+\+)?json\s*(;|$)/i

// Fatal: Buffer#toString would replace bad bytes with U+FFFD and store text the client never sent.
const utf8 = new TextDecoder('utf-8', { fatal: true })

const invalidJson = () => new AppError('invalid_json', 400, 'The request body is not valid JSON.')

const tooLarge = () =>
  new AppError('payload_too_large', 413, 'The request body must be at most 64 KB.')

/**
 * A body, when there is one, is at most 64 KB (413) and JSON: another content type is a 415;
 * bytes that are not UTF-8 or text that does not parse are a 400 `invalid_json`; a field
 * nested too deep or a NUL in any string is a 400 naming the field, all before any handler
 * runs. The text stays in Hono's body cache, so the validators read it again without
 * touching the socket.
 */
export const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (METHODS_WITHOUT_BODY.has(c.req.method)) return next()
  const body = await readBody(c, MAX_BODY_BYTES, tooLarge)
  if (body.length === 0) {
    cacheBodyText(c, '')
    return next()
  }
  if (!JSON_CONTENT_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new AppError(
      'unsupported_media_type',
      415,
      'Send the body as JSON with Content-Type: application/json.',
    )
  }
  let parsed: unknown
  try {
    const text = utf8.decode(body)
    parsed = JSON.parse(text)
    cacheBodyText(c, text)
  } catch {
    throw invalidJson()
  }
  assertAcceptableJsonBody(parsed)
  return next()
}

/** `requireJsonBody` for every request but those whose route reads its own raw bytes. */
export function requireJsonBodyUnless(
  readsRawBody: (c: Context<AppEnv>) => boolean,
): MiddlewareHandler<AppEnv> {
  return (c, next) => (readsRawBody(c) ? next() : requireJsonBody(c, next))
}

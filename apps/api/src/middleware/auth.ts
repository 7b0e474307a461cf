import { authenticateApiKey, type CoreContext, errors } from '@onboard/core'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../lib/env'

/** `Authorization: Bearer sk_org_…` → the organisation and mode every query is scoped to. */
export function requireApiKey(core: CoreContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization')
    if (!header) {
      throw errors.unauthorized('Send your API key as Authorization: Bearer sk_org_…')
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim())
    if (!match?.[1]) {
      throw errors.unauthorized('The Authorization header must be "Bearer <API key>".')
    }
    const key = await authenticateApiKey(core, match[1])
    if (!key) throw errors.unauthorized('The API key is malformed, unknown or revoked.')
    c.set('tenant', key)
    return next()
  }
}

import { type AuthenticatedKey, authenticateApiKey, type CoreContext, errors } from '@onboard/core'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../lib/env'

/** The key an `Authorization: Bearer sk_org_…` header names; a 401 when it names none. */
export async function keyOfAuthorization(
  core: CoreContext,
  header: string | null | undefined,
): Promise<AuthenticatedKey> {
  if (!header) {
    throw errors.unauthorized('Send your API key as Authorization: Bearer sk_org_…')
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim())
  if (!match?.[1]) {
    throw errors.unauthorized('The Authorization header must be "Bearer <API key>".')
  }
  const key = await authenticateApiKey(core, match[1])
  if (!key) throw errors.unauthorized('The API key is malformed, unknown or revoked.')
  return key
}

/** `Authorization: Bearer sk_org_…` → the organisation and mode every query is scoped to. */
export function requireApiKey(core: CoreContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('tenant', await keyOfAuthorization(core, c.req.header('authorization')))
    return next()
  }
}

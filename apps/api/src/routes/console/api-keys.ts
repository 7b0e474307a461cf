import {
  createApiKeyByConsoleUser,
  isAppError,
  listApiKeysOfTenant,
  revokeApiKeyOfTenant,
} from '@onboard/core'
import type { Context } from 'hono'
import { renderConsolePage } from '../../lib/console-page'
import type { AppEnv } from '../../lib/env'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'
import { orNotFound, tenantOf } from './forms'

async function renderKeys(
  c: Context<AppEnv>,
  deps: ConsoleDeps,
  state: { newKey?: string; revoked?: string; passwordError?: string } = {},
  status: 200 | 201 | 401 | 429 = 200,
) {
  const keys = await listApiKeysOfTenant(deps.core, tenantOf(c))
  return renderConsolePage(c, deps, 'api-keys', {
    title: 'API keys',
    section: 'api-keys',
    status,
    // A revoked key is gone for good: the list shows the keys that still open the API.
    keys: keys.filter((key) => key.revokedAt === null),
    mode: c.var.console.mode,
    newKey: state.newKey ?? null,
    revoked: state.revoked ?? null,
    passwordError: state.passwordError ?? null,
  })
}

/** The API keys page: the mode's live keys, create one (shown once), revoke one. */
export function registerApiKeysPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/api-keys', (c) => {
    const revoked = c.req.query('revoked')
    return renderKeys(c, deps, {
      revoked: revoked && /^[\w-]{1,64}$/.test(revoked) ? revoked : undefined,
    })
  })

  // The key exists in full only in this answer (we keep its hash): rendered here, once.
  // A live key takes the password again (see createApiKeyByConsoleUser).
  router.post('/console/api-keys', async (c) => {
    try {
      const { key } = await createApiKeyByConsoleUser(deps.core, {
        tenant: tenantOf(c),
        userId: c.var.console.userId,
        password: c.var.form.get('password') ?? '',
      })
      return renderKeys(c, deps, { newKey: key }, 201)
    } catch (error) {
      if (!isAppError(error) || (error.status !== 401 && error.status !== 429)) throw error
      return renderKeys(c, deps, { passwordError: error.message }, error.status === 401 ? 401 : 429)
    }
  })

  router.post('/console/api-keys/:id/revoke', (c) =>
    orNotFound(c, deps, async () => {
      const revoked = await revokeApiKeyOfTenant(deps.core, tenantOf(c), c.req.param('id'))
      return c.redirect(`/console/api-keys?revoked=${revoked.lastFour}`, 303)
    }),
  )
}

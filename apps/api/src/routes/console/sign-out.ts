import { consoleAuth } from '@onboard/core'
import type { Router } from '../../lib/router'
import { clearSessionCookie, SIGN_IN_PATH } from '../../middleware/console-gate'
import type { ConsoleDeps } from './deps'

/** Ends the session on the server (the cookie alone would still work elsewhere) and forgets it. */
export function registerSignOut(router: Router, deps: ConsoleDeps) {
  router.post('/console/sign-out', async (c) => {
    await consoleAuth.signOut(deps.core, c.var.console)
    clearSessionCookie(c, deps.cookies)
    return c.redirect(SIGN_IN_PATH, 303)
  })
}

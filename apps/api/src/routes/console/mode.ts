import { consoleAuth } from '@onboard/core'
import { safeConsolePath } from '../../lib/console-page'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'

/**
 * The test/live switch, kept in the session. It picks which of the session's own
 * organisation's data the pages show; the organisation always comes from the session.
 */
export function registerModeSwitch(router: Router, deps: ConsoleDeps) {
  router.post('/console/mode', async (c) => {
    const mode = c.var.form.get('mode')
    if (mode !== 'test' && mode !== 'live') {
      return c.text('mode must be test or live', 400)
    }
    await consoleAuth.setConsoleMode(deps.core, c.var.console, mode)
    return c.redirect(safeConsolePath(c.var.form.get('return')), 303)
  })
}

import type { Context } from 'hono'
import {
  renderConsoleNotFound,
  renderConsolePage,
  safeConsolePath,
  setConsoleHeaders,
} from '../../lib/console-page'
import type { AppDeps, AppEnv } from '../../lib/env'
import type { Router } from '../../lib/router'
import { consoleCookies, consoleGate } from '../../middleware/console-gate'
import { registerApiKeysPage } from './api-keys'
import { registerConsoleAssets } from './assets'
import { registerBrandingPage } from './branding'
import { registerCreateLinkPage } from './create-link'
import type { ConsoleDeps } from './deps'
import { registerConsoleHome } from './home'
import { registerLinkPage } from './link'
import { registerLinksPage } from './links'
import { registerMetaReceiptsPage } from './meta-receipts'
import { registerModeSwitch } from './mode'
import { registerNumberPage } from './number'
import { registerNumbersPage } from './numbers'
import { registerRenewLink } from './renew-link'
import { registerSessionPage } from './session'
import { registerSessionsPage } from './sessions'
import { registerSignIn } from './sign-in'
import { registerSignOut } from './sign-out'
import { registerWabaPage } from './waba'
import { registerWebhookPage } from './webhook'
import { registerWebhookActions } from './webhook-actions'
import { registerWebhooksPage } from './webhooks'

/**
 * The operator console: server-rendered pages for the people of one organisation, one file
 * per page in this folder. Every /console URL passes consoleGate first.
 */
export function registerConsoleRoutes(router: Router, appDeps: AppDeps) {
  const cookies = consoleCookies(appDeps.config)
  const deps: ConsoleDeps = {
    ...appDeps,
    cookies,
    forbidden: (c: Context<AppEnv>) =>
      renderConsolePage(c, appDeps, 'forbidden', {
        title: 'Form expired',
        section: null,
        status: 403,
        back: safeConsolePath(c.req.path),
      }),
    notFound: (c: Context<AppEnv>) => renderConsoleNotFound(c, appDeps),
  }
  registerConsoleAssets(router)
  router.use('/console', async (c, next) => {
    setConsoleHeaders(c)
    return next()
  })
  router.use('/console/*', async (c, next) => {
    setConsoleHeaders(c)
    return next()
  })
  const gate = consoleGate(appDeps.core, cookies, deps.forbidden)
  router.use('/console', gate)
  router.use('/console/*', gate)
  registerSignIn(router, deps, cookies)
  registerSignOut(router, deps)
  registerModeSwitch(router, deps)
  registerConsoleHome(router)
  registerLinksPage(router, deps)
  registerLinkPage(router, deps)
  registerRenewLink(router, deps)
  registerCreateLinkPage(router, deps)
  registerSessionsPage(router, deps)
  registerSessionPage(router, deps)
  // Numbers, Webhooks and API keys.
  registerNumbersPage(router, deps)
  registerNumberPage(router, deps)
  registerWabaPage(router, deps)
  registerWebhooksPage(router, deps)
  registerWebhookPage(router, deps)
  registerWebhookActions(router, deps)
  registerMetaReceiptsPage(router, deps)
  registerApiKeysPage(router, deps)
  registerBrandingPage(router, deps)
  return deps
}

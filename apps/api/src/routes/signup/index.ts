import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { registerSignupActivity } from './activity'
import { registerSignupAssets } from './assets'
import { registerSignupCallback } from './callback'
import { registerSignupPage } from './page'

/** The end-user's side: the hosted page, its assets and its completion callback. */
export function registerSignupRoutes(router: Router, deps: AppDeps) {
  registerSignupAssets(router)
  registerSignupPage(router, deps)
  registerSignupCallback(router, deps)
  registerSignupActivity(router, deps)
}

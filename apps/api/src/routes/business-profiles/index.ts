import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { registerBusinessProfileCallback } from './callback'

/** The Chirp-compatible popup flow: chirp-business-profile-callback-api.txt. */
export function registerBusinessProfileRoutes(router: Router, deps: AppDeps) {
  registerBusinessProfileCallback(router, deps)
}

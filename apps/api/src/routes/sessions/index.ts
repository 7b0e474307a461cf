import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { registerCompleteSession } from './complete'
import { registerCreateSession } from './create'
import { registerDeleteSession } from './delete'
import { registerGetSession } from './get'
import { registerListSessions } from './list'

/** The Chirp-compatible redirect flow: chirp-redirect-flow.txt, chirp-create-session-api.txt. */
export function registerSessionRoutes(router: Router, deps: AppDeps) {
  registerCreateSession(router, deps)
  registerListSessions(router, deps)
  registerGetSession(router, deps)
  registerDeleteSession(router, deps)
  registerCompleteSession(router, deps)
}

import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { registerGetMessage } from './get'

export function registerMessageRoutes(router: Router, deps: AppDeps) {
  registerGetMessage(router, deps)
}

import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { registerGetWabaConnection } from './connection'
import { registerGetWaba } from './get'
import { registerListWabas } from './list'

export function registerWabaRoutes(router: Router, deps: AppDeps) {
  registerListWabas(router, deps)
  registerGetWaba(router, deps)
  registerGetWabaConnection(router, deps)
}

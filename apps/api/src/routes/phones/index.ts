import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { registerGetPhone } from './get'
import { registerGetPhoneHealth } from './health'
import { registerListPhones } from './list'

export function registerPhoneRoutes(router: Router, deps: AppDeps) {
  registerListPhones(router, deps)
  registerGetPhone(router, deps)
  registerGetPhoneHealth(router, deps)
}

import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { registerCreateOnboardingLink } from './create'
import { registerDeleteOnboardingLink } from './delete'
import { registerGetOnboardingLink } from './get'
import { registerListOnboardingLinks } from './list'
import { registerRenewOnboardingLink } from './renew'

export function registerOnboardingLinkRoutes(router: Router, deps: AppDeps) {
  registerCreateOnboardingLink(router, deps)
  registerListOnboardingLinks(router, deps)
  registerGetOnboardingLink(router, deps)
  registerDeleteOnboardingLink(router, deps)
  registerRenewOnboardingLink(router, deps)
}

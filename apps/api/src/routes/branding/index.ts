import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { registerDeleteBrandingLogo } from './delete-logo'
import { registerGetBranding } from './get'
import { registerPutBrandingLogo } from './put-logo'
import { registerUpdateBranding } from './update'

/** The organisation's branding for the key's mode (the public logo file is `logo-file.ts`). */
export function registerBrandingRoutes(router: Router, deps: AppDeps) {
  registerGetBranding(router, deps)
  registerUpdateBranding(router, deps)
  registerPutBrandingLogo(router, deps)
  registerDeleteBrandingLogo(router, deps)
}

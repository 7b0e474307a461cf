import type { Router } from '../../lib/router'
import { registerStaticAssets } from '../../lib/static-assets'

/** The hosted page's script and styles. */
export function registerSignupAssets(router: Router) {
  registerStaticAssets(router, 'signup', ['signup.js', 'signup.css'])
}

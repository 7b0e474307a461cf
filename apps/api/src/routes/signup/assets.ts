import type { Router } from '../../lib/router'
import { registerEmbedScript, registerStaticAssets } from '../../lib/static-assets'

/** The hosted page's script and styles, and embed.js, which opens the page from other sites. */
export function registerSignupAssets(router: Router) {
  registerStaticAssets(router, 'signup', ['signup.js', 'signup.css'])
  registerEmbedScript(router)
}

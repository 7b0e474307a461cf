import type { Router } from '../../lib/router'
import { registerStaticAssets } from '../../lib/static-assets'

/** The console's stylesheet and script (the CSP allows nothing else). */
export function registerConsoleAssets(router: Router) {
  registerStaticAssets(router, 'console', ['console.js', 'console.css'])
}

import type { Router } from '../../lib/router'

/** /console itself opens the first page. */
export function registerConsoleHome(router: Router) {
  router.get('/console', (c) => c.redirect('/console/links', 303))
}

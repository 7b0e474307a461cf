import { links } from '@onboard/core'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'
import { isRefusal, orNotFound, tenantOf } from './forms'
import { renderLinkPage } from './link'

/**
 * Renew from the link's page: the API's renewal (default lifetime), then back to the page.
 * A completed link's refusal (409) is shown on its page.
 */
export function registerRenewLink(router: Router, deps: ConsoleDeps) {
  router.post('/console/links/:id/renew', (c) =>
    orNotFound(c, deps, async () => {
      const id = c.req.param('id')
      try {
        await links.renewOnboardingLink(deps.core, tenantOf(c), id, {})
      } catch (error) {
        if (!isRefusal(error)) throw error
        return renderLinkPage(c, deps, id, { refusal: error.message }, 409)
      }
      return c.redirect(`/console/links/${id}?done=renewed`, 303)
    }),
  )
}

import { phones } from '@onboard/core'
import { renderConsolePage } from '../../lib/console-page'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'
import { orNotFound, tenantOf } from './forms'

/** A phone's page: its facts, its health with every issue and Meta's suggested solution. */
export function registerNumberPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/numbers/:id', (c) =>
    orNotFound(c, deps, async () => {
      const tenant = tenantOf(c)
      const id = c.req.param('id')
      const phone = await phones.getPhone(deps.core, tenant, id)
      const health = await phones.getPhoneHealth(deps.core, deps.metaApps, tenant, id)
      return renderConsolePage(c, deps, 'number', {
        title: `Number ${phone.displayPhoneNumber}`,
        section: 'numbers',
        phone,
        health,
      })
    }),
  )
}

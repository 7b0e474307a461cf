import { wabas } from '@onboard/core'
import { renderConsolePage } from '../../lib/console-page'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'
import { orNotFound, tenantOf } from './forms'

/** A WABA's connection details (GET /v1/wabas/:id/connection's core) and its numbers. */
export function registerWabaPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/wabas/:id', (c) =>
    orNotFound(c, deps, async () => {
      const connection = await wabas.getWabaConnection(
        deps.core,
        deps.metaApps,
        tenantOf(c),
        c.req.param('id'),
      )
      return renderConsolePage(c, deps, 'waba', {
        title: `WABA ${connection.waba.name}`,
        section: 'numbers',
        ...connection,
      })
    }),
  )
}

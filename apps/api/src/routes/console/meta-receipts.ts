import { metaWebhooks } from '@onboard/core'
import { renderConsolePage } from '../../lib/console-page'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'
import { tenantOf } from './forms'

const SHOWN = 50

/** Meta's inbound webhooks about this organisation: what each became, or why it was ignored. */
export function registerMetaReceiptsPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/meta-receipts', async (c) => {
    const receipts = await metaWebhooks.listReceiptsOfOrganization(deps.core, tenantOf(c), SHOWN)
    return renderConsolePage(c, deps, 'meta-receipts', {
      title: 'Meta’s inbound webhooks',
      section: 'webhooks',
      receipts,
      shown: SHOWN,
    })
  })
}

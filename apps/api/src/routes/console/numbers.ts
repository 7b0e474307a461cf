import { paginationQuerySchema, phones, wabas } from '@onboard/core'
import { renderConsolePage } from '../../lib/console-page'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'
import { tenantOf } from './forms'

const PAGE_SIZE = 25

/**
 * The Numbers page: each phone with its health as last known (core's verdict, as GET
 * /v1/phones/:id/health gives it, from the stored health_status: a list view makes no Graph
 * call, however many numbers and however it is reached), then the WABAs. A number's own page
 * checks with Meta live.
 */
export function registerNumbersPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/numbers', async (c) => {
    const tenant = tenantOf(c)
    const parsed = paginationQuerySchema.shape.page.safeParse(c.req.query('page'))
    const page = parsed.success ? parsed.data : 1
    const [list, wabaList] = await Promise.all([
      phones.listPhones(deps.core, tenant, { page, limit: PAGE_SIZE }),
      wabas.listWabas(deps.core, tenant, { page: 1, limit: 100 }),
    ])
    const health = await Promise.all(
      list.data.map((phone) => phones.getStoredPhoneHealth(deps.core, tenant, phone.id)),
    )
    const pages = Math.max(1, Math.ceil(list.pagination.total / PAGE_SIZE))
    return renderConsolePage(c, deps, 'numbers', {
      title: 'Numbers',
      section: 'numbers',
      phones: list.data.map((phone, index) => ({ phone, health: health[index] })),
      wabas: wabaList.data,
      wabaTotal: wabaList.pagination.total,
      pagination: {
        ...list.pagination,
        pages,
        previous: page > 1 ? `/console/numbers?page=${page - 1}` : null,
        next: list.pagination.hasMore ? `/console/numbers?page=${page + 1}` : null,
      },
    })
  })
}

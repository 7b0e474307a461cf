import { links, paginationQuerySchema } from '@onboard/core'
import { z } from 'zod'
import { renderConsolePage } from '../../lib/console-page'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'

const PAGE_SIZE = 25

const querySchema = z.object({
  page: paginationQuerySchema.shape.page,
  // The form's "All statuses" option sends an empty value: no filter.
  status: z
    .union([z.literal(''), links.linkListFilterSchema.shape.status.unwrap()])
    .optional()
    .transform((value) => value || undefined),
  search: links.linkListFilterSchema.shape.search,
})

/** Page links keep the filters, so Previous and Next move through the same list. */
function pageHref(filter: { status?: string; search?: string }, page: number): string {
  const params = new URLSearchParams()
  if (filter.status) params.set('status', filter.status)
  if (filter.search) params.set('q', filter.search)
  if (page > 1) params.set('page', String(page))
  const text = params.toString()
  return `/console/links${text ? `?${text}` : ''}`
}

/** The Links page: the 30-day funnel, then the list with its filters. */
export function registerLinksPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/links', async (c) => {
    const session = c.var.console
    const parsed = querySchema.safeParse({
      page: c.req.query('page'),
      status: c.req.query('status'),
      search: c.req.query('q'),
    })
    const query = parsed.success ? parsed.data : { page: 1, status: undefined, search: undefined }
    const tenant = { organizationId: session.organizationId, mode: session.mode }
    const [list, funnel] = await Promise.all([
      links.searchOnboardingLinks(deps.core, tenant, { ...query, limit: PAGE_SIZE }),
      links.getLinkFunnel(deps.core, tenant),
    ])
    const pages = Math.max(1, Math.ceil(list.pagination.total / PAGE_SIZE))
    return renderConsolePage(c, deps, 'links', {
      title: 'Links',
      section: 'links',
      links: list.data,
      funnel: { ...funnel, days: links.FUNNEL_DAYS },
      filter: { status: query.status ?? '', search: query.search ?? '' },
      invalidQuery: !parsed.success,
      pagination: {
        ...list.pagination,
        pages,
        previous: query.page > 1 ? pageHref(query, query.page - 1) : null,
        next: list.pagination.hasMore ? pageHref(query, query.page + 1) : null,
      },
    })
  })
}

import { isAppError, paginationQuerySchema, sessions } from '@onboard/core'
import { z } from 'zod'
import { renderConsolePage } from '../../lib/console-page'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'

const PAGE_SIZE = 25

const querySchema = z.object({
  page: paginationQuerySchema.shape.page,
  // The form's "All statuses" option sends an empty value: no filter.
  status: z
    .union([z.literal(''), sessions.sessionStatusSchema])
    .optional()
    .transform((value) => value || undefined),
  key: z.string().max(64).optional(),
  value: z.string().max(512).optional(),
})

type Filter = { status?: string | undefined; key?: string | undefined; value?: string | undefined }

function pageHref(filter: Filter, page: number): string {
  const params = new URLSearchParams()
  if (filter.status) params.set('status', filter.status)
  if (filter.key) params.set('key', filter.key)
  if (filter.value) params.set('value', filter.value)
  if (page > 1) params.set('page', String(page))
  const text = params.toString()
  return `/console/sessions${text ? `?${text}` : ''}`
}

/** Embedded-signup sessions (the Chirp-style flow), filtered by status and a metadata value. */
export function registerSessionsPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/sessions', async (c) => {
    const session = c.var.console
    const parsed = querySchema.safeParse({
      page: c.req.query('page'),
      status: c.req.query('status'),
      key: c.req.query('key') || undefined,
      value: c.req.query('value') || undefined,
    })
    const query: z.infer<typeof querySchema> = parsed.success
      ? parsed.data
      : { page: 1, status: undefined }
    let filterError = parsed.success
      ? null
      : 'That filter was not understood, so every session is shown.'
    // The metadata filter is the API's `?metadata[key]=value`, checked by the same code.
    let metadataFilters: Record<string, string> = {}
    if (query.key) {
      try {
        metadataFilters = sessions.metadataFiltersOf(
          new URLSearchParams([[`metadata[${query.key}]`, query.value ?? '']]),
        )
      } catch (error) {
        if (!isAppError(error)) throw error
        filterError = error.message
      }
    }
    const list = await sessions.listSessions(
      deps.core,
      { organizationId: session.organizationId, mode: session.mode },
      { page: query.page, limit: PAGE_SIZE, status: query.status, metadataFilters },
    )
    return renderConsolePage(c, deps, 'sessions', {
      title: 'Sessions',
      section: 'sessions',
      sessions: list.data,
      filter: { status: query.status ?? '', key: query.key ?? '', value: query.value ?? '' },
      filterError,
      pagination: {
        ...list.pagination,
        pages: Math.max(1, Math.ceil(list.pagination.total / PAGE_SIZE)),
        previous: query.page > 1 ? pageHref(query, query.page - 1) : null,
        next: list.pagination.hasMore ? pageHref(query, query.page + 1) : null,
      },
    })
  })
}

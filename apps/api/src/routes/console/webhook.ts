import { outgoingWebhooks, paginationQuerySchema } from '@onboard/core'
import { EVENT_TYPES } from '@onboard/webhooks'
import type { Context } from 'hono'
import { renderConsolePage } from '../../lib/console-page'
import type { AppEnv } from '../../lib/env'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'
import { type FieldErrors, fieldErrorsOf, orNotFound, parseForm, tenantOf } from './forms'
import { type EndpointFormValues, endpointFormValues } from './webhook-form'

const DELIVERIES_PER_PAGE = 20

/** What an action just did, said once above the page (the action redirects here with `done`). */
const ENDPOINT_NOTICES = {
  created: 'Endpoint created.',
  updated: 'Changes saved.',
  enabled: 'Endpoint enabled: events are delivered again.',
  disabled: 'Endpoint disabled: no events are delivered until you enable it.',
  rotated: 'Secret rotated.',
  tested: 'Test event queued. Its attempt appears below once it has been sent.',
  replayed: 'Delivery queued again. The new attempt appears below once it has been sent.',
} as const

export type EndpointNotice = keyof typeof ENDPOINT_NOTICES

interface EndpointPageState {
  /** A secret just made (create, rotate): shown on this one answer only. */
  secret?: string
  notice?: EndpointNotice
  /** Why an action was refused (e.g. the endpoint is disabled). */
  refusal?: string
  edit?: { values: EndpointFormValues; errors: FieldErrors }
  page?: number
}

/** The endpoint's page: its settings, its actions, its deliveries with every attempt. */
export async function renderEndpointPage(
  c: Context<AppEnv>,
  deps: ConsoleDeps,
  id: string,
  state: EndpointPageState = {},
  status: 200 | 400 | 409 = 200,
): Promise<Response> {
  return orNotFound(c, deps, async () => {
    const tenant = tenantOf(c)
    const endpoint = await outgoingWebhooks.getOutgoingWebhook(deps.core, tenant, id)
    const page = state.page ?? 1
    const deliveries = await outgoingWebhooks.listDeliveries(deps.core, tenant, id, {
      page,
      limit: DELIVERIES_PER_PAGE,
    })
    const pages = Math.max(1, Math.ceil(deliveries.pagination.total / DELIVERIES_PER_PAGE))
    const base = `/console/webhooks/${endpoint.id}`
    return renderConsolePage(c, deps, 'webhook', {
      title: `Webhook ${endpoint.url}`,
      section: 'webhooks',
      status,
      endpoint,
      secret: state.secret ?? null,
      notice: state.notice ? ENDPOINT_NOTICES[state.notice] : null,
      refusal: state.refusal ?? null,
      edit: state.edit ?? {
        values: {
          url: endpoint.url,
          description: endpoint.description ?? '',
          events: endpoint.events,
          wabaId: endpoint.wabaId ?? '',
        },
        errors: {},
      },
      eventTypes: EVENT_TYPES,
      deliveries: deliveries.data,
      pagination: {
        ...deliveries.pagination,
        pages,
        previous: page > 1 ? `${base}?page=${page - 1}` : null,
        next: deliveries.pagination.hasMore ? `${base}?page=${page + 1}` : null,
      },
    })
  })
}

function noticeOf(value: string | undefined): EndpointNotice | undefined {
  return value && value in ENDPOINT_NOTICES ? (value as EndpointNotice) : undefined
}

/** GET shows the endpoint; POST saves the edit form (url, description, events). */
export function registerWebhookPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/webhooks/:id', (c) => {
    const page = paginationQuerySchema.shape.page.safeParse(c.req.query('page'))
    return renderEndpointPage(c, deps, c.req.param('id'), {
      notice: noticeOf(c.req.query('done')),
      page: page.success ? page.data : 1,
    })
  })

  router.post('/console/webhooks/:id', (c) =>
    orNotFound(c, deps, async () => {
      const id = c.req.param('id')
      const tenant = tenantOf(c)
      // Another organisation's id is a 404 before the form is even looked at.
      await outgoingWebhooks.getOutgoingWebhook(deps.core, tenant, id)
      const values = endpointFormValues(c.var.form)
      const parsed = parseForm(outgoingWebhooks.updateOutgoingWebhookSchema, {
        url: values.url,
        events: values.events,
        // An emptied description is cleared, as PATCH {"description": null} does.
        description: values.description || null,
      })
      if (!parsed.ok) {
        return renderEndpointPage(c, deps, id, { edit: { values, errors: parsed.errors } }, 400)
      }
      try {
        await outgoingWebhooks.updateOutgoingWebhook(
          deps.core,
          deps.config.webhooks,
          tenant,
          id,
          parsed.data,
        )
      } catch (error) {
        const errors = fieldErrorsOf(error)
        return renderEndpointPage(c, deps, id, { edit: { values, errors } }, 400)
      }
      return c.redirect(`/console/webhooks/${id}?done=updated`, 303)
    }),
  )
}

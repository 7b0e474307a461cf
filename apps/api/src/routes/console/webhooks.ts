import { outgoingWebhooks, wabas } from '@onboard/core'
import { EVENT_TYPES } from '@onboard/webhooks'
import type { Context } from 'hono'
import { renderConsolePage } from '../../lib/console-page'
import type { AppEnv } from '../../lib/env'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'
import { type FieldErrors, fieldErrorsOf, parseForm, tenantOf } from './forms'
import { renderEndpointPage } from './webhook'
import { EMPTY_ENDPOINT_FORM, type EndpointFormValues, endpointFormValues } from './webhook-form'

async function renderList(
  c: Context<AppEnv>,
  deps: ConsoleDeps,
  form: { values: EndpointFormValues; errors: FieldErrors },
  status: 200 | 400 = 200,
) {
  const tenant = tenantOf(c)
  const [list, wabaList] = await Promise.all([
    outgoingWebhooks.listOutgoingWebhooks(deps.core, tenant, { page: 1, limit: 100 }),
    wabas.listWabas(deps.core, tenant, { page: 1, limit: 100 }),
  ])
  return renderConsolePage(c, deps, 'webhooks', {
    title: 'Webhooks',
    section: 'webhooks',
    status,
    endpoints: list.data,
    total: list.pagination.total,
    wabas: wabaList.data,
    eventTypes: EVENT_TYPES,
    form: form.values,
    errors: form.errors,
  })
}

/** The Webhooks page: the endpoints, and a form to add one (the API's fields and checks). */
export function registerWebhooksPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/webhooks', (c) =>
    renderList(c, deps, { values: EMPTY_ENDPOINT_FORM, errors: {} }),
  )

  router.post('/console/webhooks', async (c) => {
    const values = endpointFormValues(c.var.form)
    const parsed = parseForm(outgoingWebhooks.createOutgoingWebhookSchema, {
      url: values.url,
      events: values.events,
      ...(values.description ? { description: values.description } : {}),
      ...(values.wabaId ? { wabaId: values.wabaId } : {}),
    })
    if (!parsed.ok) return renderList(c, deps, { values, errors: parsed.errors }, 400)
    let created: outgoingWebhooks.OutgoingWebhook
    try {
      created = await outgoingWebhooks.createOutgoingWebhook(
        deps.core,
        deps.config.webhooks,
        tenantOf(c),
        parsed.data,
      )
    } catch (error) {
      return renderList(c, deps, { values, errors: fieldErrorsOf(error) }, 400)
    }
    // The secret exists only in this answer: the endpoint's page shows it once, now.
    return renderEndpointPage(c, deps, created.id, { secret: created.secret, notice: 'created' })
  })
}

import { outgoingWebhooks } from '@onboard/core'
import type { Context } from 'hono'
import type { AppEnv } from '../../lib/env'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'
import { isRefusal, orNotFound, tenantOf } from './forms'
import { type EndpointNotice, renderEndpointPage } from './webhook'

/**
 * An action on one endpoint through the API's own core function; then back to its page
 * with what happened. A refusal (409, e.g. a disabled endpoint) is shown on the page.
 */
function action(
  c: Context<AppEnv>,
  deps: ConsoleDeps,
  run: (id: string) => Promise<EndpointNotice>,
): Promise<Response> {
  const id = c.req.param('id') ?? ''
  return orNotFound(c, deps, async () => {
    try {
      const done = await run(id)
      return c.redirect(`/console/webhooks/${id}?done=${done}`, 303)
    } catch (error) {
      if (!isRefusal(error)) throw error
      return renderEndpointPage(c, deps, id, { refusal: error.message }, 409)
    }
  })
}

/** Enable / disable, send a test event, replay a delivery, rotate the secret. */
export function registerWebhookActions(router: Router, deps: ConsoleDeps) {
  router.post('/console/webhooks/:id/enabled', (c) => {
    const value = c.var.form.get('enabled')
    if (value !== 'true' && value !== 'false') return c.text('enabled must be true or false', 400)
    return action(c, deps, async (id) => {
      const enabled = value === 'true'
      await outgoingWebhooks.updateOutgoingWebhook(
        deps.core,
        deps.config.webhooks,
        tenantOf(c),
        id,
        {
          enabled,
        },
      )
      return enabled ? 'enabled' : 'disabled'
    })
  })

  router.post('/console/webhooks/:id/test', (c) =>
    action(c, deps, async (id) => {
      await outgoingWebhooks.sendTestEvent(deps.core, tenantOf(c), id)
      return 'tested'
    }),
  )

  router.post('/console/webhooks/:id/deliveries/:deliveryId/replay', (c) =>
    action(c, deps, async (id) => {
      await outgoingWebhooks.retryDelivery(deps.core, tenantOf(c), id, c.req.param('deliveryId'))
      return 'replayed'
    }),
  )

  // The new secret is in this answer only: the page is rendered here, not redirected to.
  router.post('/console/webhooks/:id/rotate-secret', (c) =>
    orNotFound(c, deps, async () => {
      const id = c.req.param('id')
      const rotated = await outgoingWebhooks.rotateOutgoingWebhookSecret(
        deps.core,
        tenantOf(c),
        id,
        {},
      )
      return renderEndpointPage(c, deps, id, { secret: rotated.secret, notice: 'rotated' })
    }),
  )
}

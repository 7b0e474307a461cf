import { TEST_EVENT_TYPE } from '@onboard/webhooks'
import type { CoreContext, Tenant } from '../context'
import { AppError } from '../errors'
import { insertEventWithDeliveries } from '../events/record'
import { getDelivery } from './delivery-history'
import { findOutgoingWebhookRow } from './endpoints'
import type { Delivery } from './schemas'

/**
 * A `webhook.test` event delivered to this endpoint only, whatever it subscribes to, through
 * the same outbox, signing and retries as every other event.
 */
export async function sendTestEvent(
  ctx: CoreContext,
  tenant: Tenant,
  endpointId: string,
): Promise<Delivery> {
  const endpoint = await findOutgoingWebhookRow(ctx, tenant, endpointId)
  if (endpoint.enabled === 0) {
    throw new AppError(
      'endpoint_disabled',
      409,
      'This outgoing webhook is disabled; enable it (PATCH {"enabled": true}) to send a test event.',
    )
  }
  const now = ctx.now()
  const recorded = await ctx.db.transaction().execute((trx) =>
    insertEventWithDeliveries(trx, {
      tenant,
      type: TEST_EVENT_TYPE,
      data: {
        outgoingWebhookId: endpointId,
        message: 'A test event sent from the API. No action is needed.',
      },
      wabaId: endpoint.waba_id,
      endpointIds: [endpointId],
      now,
    }),
  )
  const [deliveryId] = recorded.deliveryIds
  if (!deliveryId) throw new Error('A test event must create one delivery')
  await ctx.queue.deliveries(recorded.deliveryIds)
  return getDelivery(ctx, tenant, endpointId, deliveryId)
}

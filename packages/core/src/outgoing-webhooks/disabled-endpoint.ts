import { endpointsStore } from '@onboard/db'
import type { CoreContext } from '../context'
import type { DeliveryWork } from './load-work'

/** A pending delivery whose endpoint was disabled meanwhile fails without being sent. */
export async function failDeliveryOfDisabledEndpoint(
  ctx: CoreContext,
  work: DeliveryWork,
): Promise<void> {
  const at = ctx.now().toISOString()
  await endpointsStore.failPendingDelivery(ctx.db, work.deliveryId, {
    lastError: `Not sent: the endpoint is disabled. ${work.endpointDisabledMessage ?? ''}`.trim(),
    at,
  })
}

import { linksStore } from '@onboard/db'
import type { CoreContext } from '../context'
import { recordLinkLifecycleEvent } from './lifecycle-events'

/**
 * Raises onboarding_link.expired for up to `batchSize` pending links past their expiry, in
 * one transaction: the links are claimed by setting `expired_event_at` where it is null (a
 * conditional UPDATE, see `linksStore.claimExpiredLinks`), so however many workers tick at
 * once each link's expiry is announced once; a renewal clears the mark. The link's stored
 * status stays `pending` (expiry is read from `expires_at`, DESIGN §3). Returns how many
 * were claimed: a full batch means more may be due.
 */
export async function raiseExpiredLinkEvents(
  ctx: CoreContext,
  options: { batchSize: number },
): Promise<number> {
  const now = ctx.now().toISOString()
  const { claimed, deliveryIds } = await ctx.db.transaction().execute(async (trx) => {
    const links = await linksStore.claimExpiredLinks(trx, {
      now,
      at: now,
      limit: options.batchSize,
    })
    const deliveryIds: string[] = []
    for (const link of links) {
      deliveryIds.push(
        ...(await recordLinkLifecycleEvent(trx, ctx, link, {
          type: 'onboarding_link.expired',
          expiresAt: link.expires_at,
        })),
      )
    }
    return { claimed: links.length, deliveryIds }
  })
  // Committed: the events go to the worker now (the relay covers a lost hand-off).
  await ctx.queue.deliveries(deliveryIds)
  return claimed
}

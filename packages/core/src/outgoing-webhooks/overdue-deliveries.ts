import { endpointsStore } from '@onboard/db'
import type { CoreContext } from '../context'

export interface OverdueDelivery {
  id: string
  nextAttemptAt: string
}

/**
 * Pending deliveries due before `dueBefore`, oldest first, after the `after` cursor: what
 * the relay re-enqueues in case their job never reached Redis or was lost with it.
 */
export async function findOverdueDeliveries(
  ctx: CoreContext,
  options: { dueBefore: Date; limit: number; after?: OverdueDelivery },
): Promise<OverdueDelivery[]> {
  const rows = await endpointsStore.overdueDeliveries(ctx.db, {
    dueBefore: options.dueBefore.toISOString(),
    limit: options.limit,
    after: options.after,
  })
  return rows.map((row) => ({ id: row.id, nextAttemptAt: row.next_attempt_at ?? '' }))
}

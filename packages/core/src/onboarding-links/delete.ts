import { endpointsStore, linksStore } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { errors } from '../errors'
import { findOnboardingLinkRow } from './read'
import { effectiveStatus } from './serialize'

/**
 * A pending or expired link can be deleted (an expired one is still stored as pending); a
 * completed one is the record of a connection and stays.
 */
export async function deleteOnboardingLink(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<void> {
  const row = await findOnboardingLinkRow(ctx, tenant, id)
  const notDeletable = (status: string) =>
    errors.conflict(
      'link_not_pending',
      `Only pending or expired links can be deleted; this link is ${status}.`,
    )
  if (row.status !== 'pending') throw notDeletable(effectiveStatus(row, ctx.now()))
  // The status guard makes a delete racing a completion lose cleanly instead of erasing it.
  // The link's own endpoint, if a lifecycle event registered it, goes with it: it would only
  // ever hear this link.
  const deleted = await ctx.db.transaction().execute(async (trx) => {
    if (!(await linksStore.deletePendingLink(trx, id))) return false
    await endpointsStore.deleteAwaitingLinkEndpoint(trx, id)
    return true
  })
  if (!deleted) throw notDeletable('no longer pending')
}

import type { CoreContext, Tenant } from '../context'
import { errors } from '../errors'
import { findOnboardingLinkRow } from './read'
import { effectiveStatus } from './serialize'

/** Only a pending link can be deleted: a completed one is the record of a connection. */
export async function deleteOnboardingLink(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<void> {
  const row = await findOnboardingLinkRow(ctx, tenant, id)
  const status = effectiveStatus(row, ctx.now())
  if (status !== 'pending') {
    throw errors.conflict(
      'link_not_pending',
      `Only pending links can be deleted; this link is ${status}.`,
    )
  }
  // The status guard makes a delete racing a completion lose cleanly instead of erasing it.
  const result = await ctx.db
    .deleteFrom('onboarding_links')
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  if (result.numDeletedRows === 0n) {
    throw errors.conflict(
      'link_not_pending',
      'Only pending links can be deleted; this link just changed.',
    )
  }
}

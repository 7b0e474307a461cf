import { linksStore } from '@onboard/db'
import { addSeconds } from '../clock'
import type { CoreContext, Tenant } from '../context'
import { errors } from '../errors'
import { findOnboardingLinkRow, serializeLinks } from './read'
import {
  DEFAULT_LINK_TTL_SECONDS,
  type OnboardingLink,
  type RenewOnboardingLinkInput,
} from './schemas'

const completedConflict = () =>
  errors.conflict(
    'link_completed',
    'This link has already connected a number; create a new link instead of renewing it.',
  )

/**
 * Gives a pending or expired link of the tenant (404 otherwise) a new expiry from now, with
 * the same id and hosted URL: pending again, its expiry announcement cleared (so a later
 * expiry raises onboarding_link.expired again) and its failed-event slots refilled. A
 * completed link is the record of a connection: 409, unchanged. The update is guarded by
 * the status, so a renewal racing a completion loses cleanly.
 */
export async function renewOnboardingLink(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
  input: RenewOnboardingLinkInput,
): Promise<OnboardingLink> {
  const row = await findOnboardingLinkRow(ctx, tenant, id)
  if (row.status === 'completed') throw completedConflict()
  const now = ctx.now()
  const renewed = await linksStore.renewLink(ctx.db, tenant, id, {
    expiresAt: addSeconds(now, input.expiresInSeconds ?? DEFAULT_LINK_TTL_SECONDS).toISOString(),
    at: now.toISOString(),
  })
  if (!renewed) {
    // Completed (or deleted) between the read and the update.
    if (await linksStore.linkExists(ctx.db, id)) throw completedConflict()
    throw errors.notFound('onboarding link')
  }
  const [link] = await serializeLinks(ctx, [renewed])
  if (!link) throw new Error('a serialised link went missing')
  return link
}

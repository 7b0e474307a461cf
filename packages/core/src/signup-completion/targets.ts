import type { CoreContext } from '../context'
import { findLinkForPage, linkTarget } from '../onboarding-links/signup-target'
import { findSessionTarget } from '../sessions/signup-target'
import type { SignupTarget } from '../signup-target'

/**
 * The link or session behind a hosted page id, in any organisation (the id is the page's
 * only key). Session ids carry the `wss_` prefix; links are UUIDs.
 */
export async function findSignupTarget(
  ctx: CoreContext,
  id: string,
): Promise<SignupTarget | undefined> {
  if (id.startsWith('wss_')) return findSessionTarget(ctx, id)
  const link = await findLinkForPage(ctx, id)
  return link ? linkTarget(ctx, link) : undefined
}

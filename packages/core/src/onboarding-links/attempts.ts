import { linksStore, type OnboardingLinkRow } from '@onboard/db'
import type { CoreContext } from '../context'
import { newSortableId } from '../ids'
import type { SignupAttempt } from '../signup-target'

/**
 * Records a cancelled or failed try. The link stays pending so the end-user can retry; the
 * status guard keeps a late failure from touching a link another callback just completed.
 */
export async function recordUnsuccessfulAttempt(
  ctx: CoreContext,
  link: OnboardingLinkRow,
  attempt: SignupAttempt,
): Promise<void> {
  const now = ctx.now().toISOString()
  await ctx.db.transaction().execute(async (trx) => {
    await linksStore.insertSignupAttempt(trx, attemptRow(link, attempt, now))
    await linksStore.setPendingLinkError(trx, link.id, {
      lastError: attempt.errorMessage,
      ...(attempt.outcome === 'cancelled' ? { cancelStep: attempt.step } : {}),
      at: now,
    })
  })
}

export function attemptRow(link: OnboardingLinkRow, attempt: SignupAttempt, now: string) {
  return {
    id: newSortableId('sat'),
    organization_id: link.organization_id,
    mode: link.mode,
    onboarding_link_id: link.id,
    outcome: attempt.outcome,
    event: attempt.event,
    step: attempt.step,
    error_code: attempt.errorCode,
    error_message: attempt.errorMessage,
    meta_session_id: attempt.metaSessionId,
    created_at: now,
  }
}

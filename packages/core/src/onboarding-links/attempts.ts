import { linksStore, type OnboardingLinkRow } from '@onboard/db'
import type { CoreContext } from '../context'
import { newSortableId } from '../ids'
import type { SignupAttempt } from '../signup-target'
import { MAX_FAILED_EVENTS_PER_LINK, recordLinkLifecycleEvent } from './lifecycle-events'

/**
 * Records a cancelled or failed try. The link stays pending so the end-user can retry; the
 * status guard keeps a late failure from touching a link another callback just completed.
 * A failure of ours (the code exchange refused, a WABA check, Meta's API) raises
 * onboarding_link.failed in the same transaction, while the link has failed-event slots
 * left. Meta's own ERROR was raised when the page reported it (activity.ts), and a cancel
 * is the end-user's choice: neither raises it here.
 */
export async function recordUnsuccessfulAttempt(
  ctx: CoreContext,
  link: OnboardingLinkRow,
  attempt: SignupAttempt,
  error: { code: string; message: string },
): Promise<void> {
  const now = ctx.now().toISOString()
  const deliveryIds = await ctx.db.transaction().execute(async (trx) => {
    await linksStore.insertSignupAttempt(trx, attemptRow(link, attempt, now))
    await linksStore.setPendingLinkError(trx, link.id, {
      lastError: attempt.errorMessage,
      ...(attempt.outcome === 'cancelled' ? { cancelStep: attempt.step } : {}),
      at: now,
    })
    if (attempt.outcome !== 'failed' || attempt.event === 'ERROR') return []
    const slot = await linksStore.takeFailedEventSlot(trx, link.id, {
      max: MAX_FAILED_EVENTS_PER_LINK,
    })
    if (!slot) return []
    return recordLinkLifecycleEvent(trx, ctx, link, {
      type: 'onboarding_link.failed',
      source: 'completion',
      error: { code: error.code, message: error.message },
      step: attempt.step,
    })
  })
  // Committed: the failed event goes to the worker now (the relay covers a lost hand-off).
  await ctx.queue.deliveries(deliveryIds)
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

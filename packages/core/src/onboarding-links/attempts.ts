import { linksStore, type OnboardingLinkRow, type SignupAttemptsTable } from '@onboard/db'
import type { CoreContext } from '../context'
import { newSortableId } from '../ids'

export interface AttemptFacts {
  outcome: SignupAttemptsTable['outcome']
  event: string | null
  step: string | null
  errorCode: string | null
  errorMessage: string | null
  metaSessionId: string | null
}

/**
 * Records a cancelled or failed try. The link stays pending so the end-user can retry; the
 * status guard keeps a late failure from touching a link another callback just completed.
 */
export async function recordUnsuccessfulAttempt(
  ctx: CoreContext,
  link: OnboardingLinkRow,
  facts: AttemptFacts,
): Promise<void> {
  const now = ctx.now().toISOString()
  await ctx.db.transaction().execute(async (trx) => {
    await linksStore.insertSignupAttempt(trx, attemptRow(link, facts, now))
    await linksStore.setPendingLinkError(trx, link.id, {
      lastError: facts.errorMessage,
      ...(facts.outcome === 'cancelled' ? { cancelStep: facts.step } : {}),
      at: now,
    })
  })
}

export function attemptRow(link: OnboardingLinkRow, facts: AttemptFacts, now: string) {
  return {
    id: newSortableId('sat'),
    organization_id: link.organization_id,
    mode: link.mode,
    onboarding_link_id: link.id,
    outcome: facts.outcome,
    event: facts.event,
    step: facts.step,
    error_code: facts.errorCode,
    error_message: facts.errorMessage,
    meta_session_id: facts.metaSessionId,
    created_at: now,
  }
}

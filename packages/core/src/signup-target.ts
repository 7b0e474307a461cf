import type { Mode } from '@onboard/db'
import type { CoreContext } from './context'
import type { AppError } from './errors'
import type { AttemptFacts } from './onboarding-links/attempts'
import type { Prefill } from './shared/prefill'
import type { FinishIds } from './signup-completion/finish'
import type { CompletionSubject } from './signup-completion/subject'

export type SignupTargetStatus = 'pending' | 'completed' | 'expired' | 'cancelled' | 'failed'

/** A brief error as the redirect and the page carry it. */
export interface SignupError {
  code: string
  message: string
}

/**
 * One thing the hosted page (`GET /signup/:id`) and its callback complete: an onboarding
 * link or an embedded-signup session. Two front doors, one page and one completion core;
 * what differs (redirect parameters, what a failure does, the errors' names) lives here.
 */
export interface SignupTarget {
  kind: 'link' | 'session'
  id: string
  mode: Mode
  /** The page's heading. */
  name: string
  /** Read, never written: a pending target past its expiry reads as expired. */
  status: SignupTargetStatus
  login: { prefill: Prefill; preVerifiedPhoneIds: string[]; allowCoexistence: boolean }
  subject: CompletionSubject
  /** Where the page sends the end-user after success; null shows the result inline. */
  successRedirect(): string | null
  errorRedirect(error: SignupError): string | null
  /** Where the page of a target that can no longer be used offers to go back to. */
  exitRedirect(): string | null
  /** A cancel sends the end-user back (sessions) instead of offering another try (links). */
  returnsOnCancel: boolean
  /** Keeps what Meta's FINISH message told the page, before the code is used. */
  recordFinish(ctx: CoreContext, finish: FinishIds): Promise<void>
  /** Records a cancelled or failed try: a link stays pending for a retry, a session ends. */
  recordUnsuccessful(ctx: CoreContext, facts: AttemptFacts, error: SignupError): Promise<void>
  expiredError(): AppError
  alreadyCompletedError(): AppError
  /** A session that was cancelled or failed cannot be tried again. */
  endedError(): AppError
}

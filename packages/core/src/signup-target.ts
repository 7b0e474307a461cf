import type { Db, LinkLocale, Mode, SignupAttemptsTable } from '@onboard/db'
import type { CoreContext, Tenant } from './context'
import type { AppError } from './errors'
import type { Prefill } from './shared/prefill'

/**
 * The port between a completion (signup-completion/) and what it completes. A signup target
 * is what a completion connects a WABA *for*: an onboarding link (onboarding-links/
 * signup-target.ts), an embedded-signup session (sessions/signup-target.ts), or nothing of
 * ours (the popup flow). The completion reads it only through this interface, so links and
 * sessions never import the completion, and every front door completes the same way.
 */
export interface SignupTarget {
  /**
   * The link's or session's id, which claims the WABA's install; null for the popup flow,
   * whose business profile id claims it.
   */
  id: string | null
  tenant: Tenant
  /** JSON text copied to the WABA and the chosen phone. */
  metadata: string | null
  externalId: string | null
  onboardingLinkId: string | null
  /** Pre-verified numbers offered in Embedded Signup, preferred when Meta names no phone. */
  preVerifiedPhoneIds: string[]
  /** Fields naming the target in phone_number.connected's `data`. */
  eventFields: Record<string, unknown>
  /**
   * Marks the target completed inside the completion transaction. Anything but `marked`
   * rolls the transaction back: `no_longer_pending` when a racing completion won (or it
   * ended), `gone` when its row was deleted meanwhile.
   */
  markCompleted(trx: Db, ids: ConnectionIds): Promise<MarkResult>
  /** In-transaction work before the event is recorded (a link's own webhook endpoint). */
  beforeEvent?(trx: Db, ids: ConnectionIds): Promise<void>
  /** The refusal when it was completed already (or markCompleted lost the race). */
  alreadyCompleted(): AppError
  /** The refusal when it was deleted during its completion. */
  notFound(): AppError
}

type SignupTargetStatus = 'pending' | 'completed' | 'expired' | 'cancelled' | 'failed'

/**
 * A target the hosted page (`GET /signup/:id`) and its callback serve: a link or a session.
 * What differs between them (redirect parameters, what a failure does, the errors' names)
 * lives in the implementations.
 */
export interface HostedSignupTarget extends SignupTarget {
  kind: 'link' | 'session'
  id: string
  mode: Mode
  /** The page's heading. */
  name: string
  /** The language its creator chose for the page; null lets the browser choose. */
  locale: LinkLocale | null
  /** Read, never written: a pending target past its expiry reads as expired. */
  status: SignupTargetStatus
  login: { prefill: Prefill; allowCoexistence: boolean }
  /** Where the page sends the end-user after success; null shows the result inline. */
  successRedirect(): string | null
  errorRedirect(error: SignupError): string | null
  /** Where the page of a target that can no longer be used offers to go back to. */
  exitRedirect(): string | null
  /** A cancel sends the end-user back (sessions) instead of offering another try (links). */
  returnsOnCancel: boolean
  /** Origins the page reports its result to when embed.js opened it; sessions have none. */
  embedOrigins: string[]
  /** Keeps what Meta's FINISH message told the page, before the code is used. */
  recordFinish(ctx: CoreContext, finish: FinishIds): Promise<void>
  /** Records a cancelled or failed try: a link stays pending for a retry, a session ends. */
  recordUnsuccessful(ctx: CoreContext, attempt: SignupAttempt, error: SignupError): Promise<void>
  expiredError(): AppError
  /** A session that was cancelled or failed cannot be tried again. */
  endedError(): AppError
}

/**
 * What a hosted target adds to its completion side (and its id, never null here). The two
 * are joined with Object.assign: a literal spreading the completion side and then defining
 * these properties left V8 building a dictionary-mode object, 22 µs of every hosted page
 * (measured with pnpm bench, docs/performance.md).
 */
export type HostedSide = Omit<HostedSignupTarget, keyof SignupTarget> & { id: string }

/** A brief error as the redirect and the page carry it. */
interface SignupError {
  code: string
  message: string
}

/** The ids Meta's FINISH message gave the hosted page. */
export interface FinishIds {
  metaWabaId: string
  metaPhoneNumberId: string | null
  metaBusinessId: string | null
  /** Which of Meta's FINISH events named them (the coexistence one is not registered). */
  event?: string
}

/** One try at the hosted page: cancelled, failed, or (in a link's history) completed. */
export interface SignupAttempt {
  outcome: SignupAttemptsTable['outcome']
  event: string | null
  step: string | null
  errorCode: string | null
  errorMessage: string | null
  metaSessionId: string | null
}

/** Our ids of what a completion just wrote, for the target to point at. */
export interface ConnectionIds {
  wabaId: string
  phoneId: string
  /** ISO time of the completion. */
  now: string
  /** Meta's finishing event name and session id, when the browser relayed them. */
  metaEvent: string | null
  metaSessionId: string | null
}

export type MarkResult = 'marked' | 'no_longer_pending' | 'gone'

/** Why a target was not marked completed: another completion won, or it was deleted. */
export function whyNotMarked(stillExists: boolean): MarkResult {
  return stillExists ? 'no_longer_pending' : 'gone'
}

import type { Db } from '@onboard/db'
import type { Tenant } from '../context'
import type { AppError } from '../errors'

/** Our ids of what a completion just wrote, for the subject to point at. */
export interface ConnectionIds {
  wabaId: string
  phoneId: string
  /** ISO time of the completion. */
  now: string
  /** Meta's finishing event name and session id, when the browser relayed them. */
  metaEvent: string | null
  metaSessionId: string | null
}

/**
 * What a completion connects a WABA *for*: an onboarding link, an embedded-signup session,
 * or nothing of ours (the popup flow's business profile). The shared core (Graph steps,
 * persist, the phone_number.connected event) only sees this, so every front door completes
 * the same way.
 */
export interface CompletionSubject {
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
  /** Fields naming the subject in phone_number.connected's `data`. */
  eventFields: Record<string, unknown>
  /**
   * Marks the subject completed inside the completion transaction. Returns false when it is
   * no longer completable (a racing completion won); the transaction then rolls back.
   */
  markCompleted(trx: Db, ids: ConnectionIds): Promise<boolean>
  /** In-transaction work before the event is recorded (a link's own webhook endpoint). */
  beforeEvent?(trx: Db, ids: ConnectionIds): Promise<void>
  /** The refusal when markCompleted lost the race. */
  alreadyCompleted(): AppError
}

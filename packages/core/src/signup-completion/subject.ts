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
   * Marks the subject completed inside the completion transaction. Anything but `marked`
   * rolls the transaction back: `no_longer_pending` when a racing completion won (or it
   * ended), `gone` when its row was deleted meanwhile.
   */
  markCompleted(trx: Db, ids: ConnectionIds): Promise<MarkResult>
  /** In-transaction work before the event is recorded (a link's own webhook endpoint). */
  beforeEvent?(trx: Db, ids: ConnectionIds): Promise<void>
  /** The refusal when markCompleted lost the race. */
  alreadyCompleted(): AppError
  /** The refusal when the subject was deleted during its completion. */
  notFound(): AppError
}

export type MarkResult = 'marked' | 'no_longer_pending' | 'gone'

/** Why a subject was not marked completed: another completion won, or it was deleted. */
export function whyNotMarked(stillExists: boolean): MarkResult {
  return stillExists ? 'no_longer_pending' : 'gone'
}

import { type Db, type Mode, metaReceiptsStore } from '@onboard/db'
import type { EventType } from '@onboard/webhooks'
import type { Tenant } from '../context'
import { recordEvent } from '../events/record'

/** One receipt being processed, inside its transaction. */
export interface Processing {
  trx: Db
  /** The app that signed the receipt: only this mode's rows are touched. */
  mode: Mode
  receiptId: string
  now: Date
  /** Organisation id → the Meta ids by which this receipt concerned it (see `concern`). */
  concerned: Map<string, Set<string>>
  deliveryIds: string[]
  eventsRecorded: number
  notes: string[]
  /** Meta WABAs this receipt recorded a new PARTNER_APP_INSTALLED for (sign-ups may await them). */
  installedWabaIds: string[]
}

/**
 * Notes that the receipt is about `organizationId` (the owner, now, of the connected WABA or
 * number named by `metaIds`). Recorded with the receipt, it is what the console lists by.
 */
export function concern(p: Processing, organizationId: string, metaIds: readonly string[]): void {
  const ids = p.concerned.get(organizationId) ?? new Set<string>()
  for (const id of metaIds) ids.add(id)
  p.concerned.set(organizationId, ids)
}

/**
 * Marks an item (a message, a status change, an account change) as handled. False when an
 * earlier receipt already handled it: Meta may relay one item in several batches.
 */
export async function claimItem(p: Processing, itemKey: string): Promise<boolean> {
  return metaReceiptsStore.claimItem(p.trx, {
    mode: p.mode,
    itemKey,
    receiptId: p.receiptId,
    at: p.now.toISOString(),
  })
}

/** The outbox write for one event; its deliveries are enqueued once the receipt commits. */
export async function emit(
  p: Processing,
  input: { tenant: Tenant; type: EventType; wabaId: string; data: Record<string, unknown> },
): Promise<void> {
  const recorded = await recordEvent(p.trx, { ...input, now: p.now })
  p.deliveryIds.push(...recorded.deliveryIds)
  p.eventsRecorded += 1
}

/** Meta's unix-seconds `time` as ISO text, or now when absent. */
export function metaTime(seconds: number | undefined, now: Date): string {
  return seconds === undefined ? now.toISOString() : new Date(seconds * 1000).toISOString()
}

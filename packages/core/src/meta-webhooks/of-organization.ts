import { metaReceiptsStore } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { messagesValueSchema, metaEnvelopeSchema } from './schemas'

/** One change of a receipt, as the console lists it. */
interface ReceiptChange {
  field: string
  /** e.g. "2 messages, 1 status" or "PARTNER_APP_INSTALLED". */
  summary: string
}

export interface OrganizationReceipt {
  id: string
  receivedAt: string
  processedAt: string | null
  status: 'pending' | 'processed' | 'failed'
  attempts: number
  /** Only the changes about this organisation's WABAs and numbers. */
  changes: ReceiptChange[]
  /**
   * Events the receipt became. Null when it also carried other organisations' entries: the
   * count is the whole receipt's and is not theirs to see.
   */
  eventsRecorded: number | null
  /** Why nothing (or not everything) was relayed, without other organisations' Meta ids. */
  notes: string[]
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

function summarize(field: string, value: unknown): string {
  if (field === 'messages') {
    const parsed = messagesValueSchema.safeParse(value)
    if (!parsed.success) return 'not readable'
    const parts = [
      count(parsed.data.messages?.length ?? 0, 'message', 'messages'),
      count(parsed.data.statuses?.length ?? 0, 'status', 'statuses'),
    ]
    return parts.join(', ')
  }
  const event = (value as { event?: unknown } | null)?.event
  return typeof event === 'string' ? event : field
}

/** The phone number id a messages change is about, if any. */
function phoneIdOf(value: unknown): string | null {
  const parsed = messagesValueSchema.safeParse(value)
  return parsed.success ? parsed.data.metadata.phone_number_id : null
}

/**
 * Meta's receipts that concerned this organisation in this mode, newest first, each with what
 * it became or why it was ignored. Which organisations a receipt concerned is recorded when
 * it is processed (the owners, then, of the connected WABAs and numbers it named), so a
 * former or later owner of a WABA never reads the other's. Receipts are stored per mode, not
 * per organisation (Meta may batch several businesses in one body), so only this
 * organisation's part of each is shown: the changes naming the Meta ids it was recorded by.
 */
export async function listReceiptsOfOrganization(
  ctx: CoreContext,
  tenant: Tenant,
  limit = 50,
): Promise<OrganizationReceipt[]> {
  const rows = await metaReceiptsStore.recentReceiptsOfScope(ctx.db, tenant, limit)
  return rows.map((row) => {
    const ours = new Set(JSON.parse(row.meta_ids) as string[])
    let envelope: ReturnType<typeof metaEnvelopeSchema.safeParse> | null = null
    try {
      envelope = metaEnvelopeSchema.safeParse(JSON.parse(row.body))
    } catch {
      envelope = null
    }
    const changes: ReceiptChange[] = []
    let foreign = false
    for (const entry of envelope?.success ? envelope.data.entry : []) {
      for (const change of entry.changes) {
        const phoneId = change.field === 'messages' ? phoneIdOf(change.value) : null
        const mine =
          (entry.id !== undefined && ours.has(entry.id)) || (phoneId !== null && ours.has(phoneId))
        if (mine)
          changes.push({ field: change.field, summary: summarize(change.field, change.value) })
        else foreign = true
      }
    }
    // A note naming a Meta id that is not this organisation's says nothing it may read.
    const notes = (row.note ?? '')
      .split('; ')
      .filter((note) => note !== '')
      .filter((note) => (note.match(/\d{5,}/g) ?? []).every((id) => ours.has(id)))
    return {
      id: row.id,
      receivedAt: row.received_at,
      processedAt: row.processed_at,
      status: row.status,
      attempts: row.attempts,
      changes,
      eventsRecorded: foreign ? null : row.events_recorded,
      notes,
    }
  })
}

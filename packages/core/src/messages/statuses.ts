import { type Db, type MessageStatus, messagesStore } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { newSortableId } from '../ids'

/**
 * One status from Meta's webhook, as meta-webhooks/ parsed it (messageStatusSchema): the
 * fields read here. Declared here, not imported, because meta-webhooks/ calls this module.
 */
interface MetaStatus {
  id: string
  status: string
  timestamp?: string
}

/**
 * How far along a message is: a status never moves a message back. `failed` ends it.
 * `unknown` (the send's outcome never came back) ranks with `accepted`: any status Meta
 * reports for the message would be news; none can arrive without its wamid, though.
 */
const RANK: Record<MessageStatus, number> = {
  accepted: 0,
  unknown: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 4,
}

export function isMessageStatus(value: string): value is MessageStatus {
  return Object.hasOwn(RANK, value)
}

export function statusRank(status: string): number {
  return isMessageStatus(status) ? RANK[status] : -1
}

/** The statuses `status` may follow (Meta does not keep order: `read` may come first). */
function statusesBefore(status: MessageStatus): MessageStatus[] {
  return (Object.keys(RANK) as MessageStatus[]).filter((s) => RANK[s] < RANK[status])
}

function unixSecondsToIso(value: string | undefined, fallback: Date): string {
  const seconds = Number(value)
  return Number.isFinite(seconds) && seconds > 0
    ? new Date(seconds * 1000).toISOString()
    : fallback.toISOString()
}

/**
 * Keeps one status Meta reported in the message's history, and moves the stored message on
 * when it was sent through us. The history is kept by Meta's id either way, so a status
 * processed before its send stored the message still shows once it has. Returns our
 * message id, or null for a message sent some other way.
 */
export async function recordMessageStatus(
  trx: Db,
  input: { tenant: Tenant; phoneId: string; status: MetaStatus; now: Date },
): Promise<string | null> {
  const name = input.status.status.toLowerCase()
  const errors = (input.status as { errors?: unknown }).errors
  const pricing = (input.status as { pricing?: unknown }).pricing
  const at = input.now.toISOString()
  await messagesStore.insertStatus(trx, {
    id: newSortableId('wms', input.now.getTime()),
    organization_id: input.tenant.organizationId,
    mode: input.tenant.mode,
    phone_number_id: input.phoneId,
    wamid: input.status.id,
    status: name,
    occurred_at: unixSecondsToIso(input.status.timestamp, input.now),
    errors: Array.isArray(errors) ? JSON.stringify(errors) : null,
    pricing: pricing && typeof pricing === 'object' ? JSON.stringify(pricing) : null,
    recorded_at: at,
  })
  if (!isMessageStatus(name)) return null
  const id = await messagesStore.advanceStatus(trx, {
    scope: input.tenant,
    phoneId: input.phoneId,
    wamid: input.status.id,
    status: name,
    from: statusesBefore(name),
    error: name === 'failed' && Array.isArray(errors) ? JSON.stringify(errors) : null,
    at,
  })
  return id ?? null
}

/**
 * Statuses are kept for every message, since one may be processed before its send stored
 * the message; those of messages never sent through us have no reader, so they go after the
 * Meta webhook retention, in bounded batches like the receipts they came in.
 */
export function purgeUnclaimedStatuses(
  ctx: CoreContext,
  options: { retentionMs: number; batchSize: number },
): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - options.retentionMs).toISOString()
  return messagesStore.deleteUnclaimedStatusesBefore(ctx.db, cutoff, options.batchSize)
}

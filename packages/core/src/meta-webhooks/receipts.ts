import { createHash } from 'node:crypto'
import { type Mode, metaReceiptsStore } from '@onboard/db'
import type { CoreContext } from '../context'
import { newSortableId } from '../ids'

/** A receipt that failed this many times is marked failed instead of being retried again. */
export const MAX_RECEIPT_ATTEMPTS = 5

export interface StoredReceipt {
  receiptId: string
  /** True when Meta sent this very body before (a retry): nothing new was stored. */
  duplicate: boolean
  /** True while it still has to be processed (a new receipt, or a retry of an unprocessed one). */
  pending: boolean
}

/**
 * Stores a verified delivery. Meta retries the identical body for days, so its SHA-256 is
 * the key: a second copy returns the first receipt and stores nothing. A receipt still pending
 * is handed to `ctx.queue` for the worker.
 */
export async function storeReceipt(
  ctx: CoreContext,
  input: { mode: Mode; body: string },
): Promise<StoredReceipt> {
  const bodySha256 = createHash('sha256').update(input.body).digest('hex')
  const id = newSortableId('mwr')
  const inserted = await metaReceiptsStore.insertReceipt(ctx.db, {
    id,
    mode: input.mode,
    body_sha256: bodySha256,
    body: input.body,
    status: 'pending',
    attempts: 0,
    events_recorded: 0,
    note: null,
    received_at: ctx.now().toISOString(),
    processed_at: null,
  })
  if (inserted) {
    await ctx.queue.metaReceipt(id)
    return { receiptId: id, duplicate: false, pending: true }
  }
  const existing = await metaReceiptsStore.findReceiptByBody(ctx.db, input.mode, bodySha256)
  // Meta retried a body still pending: its job may be what got lost.
  if (existing.status === 'pending') await ctx.queue.metaReceipt(existing.id)
  return { receiptId: existing.id, duplicate: true, pending: existing.status === 'pending' }
}

/** Receipts still pending that arrived before `receivedBefore`, oldest first (the sweeper). */
export async function findPendingReceipts(
  ctx: CoreContext,
  options: { receivedBefore: Date; limit: number },
): Promise<string[]> {
  return metaReceiptsStore.pendingReceiptIds(ctx.db, {
    receivedBefore: options.receivedBefore.toISOString(),
    limit: options.limit,
  })
}

/**
 * Counts a failed processing attempt (the transaction rolled back, so nothing else changed);
 * after MAX_RECEIPT_ATTEMPTS the receipt is failed with the reason, and no longer swept.
 */
export async function recordReceiptFailure(
  ctx: CoreContext,
  receiptId: string,
  reason: string,
): Promise<'retry' | 'failed'> {
  const row = await metaReceiptsStore.findReceipt(ctx.db, receiptId)
  if (row?.status !== 'pending') return 'failed'
  const attempts = row.attempts + 1
  const failed = attempts >= MAX_RECEIPT_ATTEMPTS
  await metaReceiptsStore.updatePendingReceipt(ctx.db, receiptId, {
    attempts,
    note: reason.slice(0, 500),
    ...(failed ? { status: 'failed' as const, processed_at: ctx.now().toISOString() } : {}),
  })
  return failed ? 'failed' : 'retry'
}

export interface PurgedReceipts {
  receipts: number
  items: number
}

/**
 * Deletes up to `batchSize` receipts older than the retention that are done with (processed
 * or failed) and up to `batchSize` dedup items as old. Meta retries a body for days, not
 * weeks: within the retention a retry still finds its receipt (same hash) and its items, so
 * it is one receipt and one event; the retention is at least 7 days (config). Pending
 * receipts are kept whatever their age, for the sweeper. `meta_waba_installs.receipt_id`
 * names the receipt that last changed an install; it is provenance only, and may outlive it.
 */
export async function purgeOldReceipts(
  ctx: CoreContext,
  options: { retentionMs: number; batchSize: number },
): Promise<PurgedReceipts> {
  const cutoff = new Date(ctx.now().getTime() - options.retentionMs).toISOString()
  const receipts = await metaReceiptsStore.deleteDoneReceiptsBefore(
    ctx.db,
    cutoff,
    options.batchSize,
  )
  const items = await metaReceiptsStore.deleteItemsBefore(ctx.db, cutoff, options.batchSize)
  return { receipts, items }
}

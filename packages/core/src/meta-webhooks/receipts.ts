import { createHash } from 'node:crypto'
import type { Mode } from '@onboard/db'
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
 * the key: a second copy returns the first receipt and stores nothing.
 */
export async function storeReceipt(
  ctx: CoreContext,
  input: { mode: Mode; body: string },
): Promise<StoredReceipt> {
  const bodySha256 = createHash('sha256').update(input.body).digest('hex')
  const id = newSortableId('mwr')
  const inserted = await ctx.db
    .insertInto('meta_webhook_receipts')
    .values({
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
    .onConflict((oc) => oc.columns(['mode', 'body_sha256']).doNothing())
    .executeTakeFirst()
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
    return { receiptId: id, duplicate: false, pending: true }
  }
  const existing = await ctx.db
    .selectFrom('meta_webhook_receipts')
    .select(['id', 'status'])
    .where('mode', '=', input.mode)
    .where('body_sha256', '=', bodySha256)
    .executeTakeFirstOrThrow()
  return { receiptId: existing.id, duplicate: true, pending: existing.status === 'pending' }
}

/** Receipts still pending that arrived before `receivedBefore`, oldest first (the sweeper). */
export async function findPendingReceipts(
  ctx: CoreContext,
  options: { receivedBefore: Date; limit: number },
): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('meta_webhook_receipts')
    .select('id')
    .where('status', '=', 'pending')
    .where('received_at', '<=', options.receivedBefore.toISOString())
    .orderBy('received_at', 'asc')
    .orderBy('id', 'asc')
    .limit(options.limit)
    .execute()
  return rows.map((row) => row.id)
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
  const row = await ctx.db
    .selectFrom('meta_webhook_receipts')
    .select(['attempts', 'status'])
    .where('id', '=', receiptId)
    .executeTakeFirst()
  if (row?.status !== 'pending') return 'failed'
  const attempts = row.attempts + 1
  const failed = attempts >= MAX_RECEIPT_ATTEMPTS
  await ctx.db
    .updateTable('meta_webhook_receipts')
    .set({
      attempts,
      note: reason.slice(0, 500),
      ...(failed ? { status: 'failed' as const, processed_at: ctx.now().toISOString() } : {}),
    })
    .where('id', '=', receiptId)
    .where('status', '=', 'pending')
    .execute()
  return failed ? 'failed' : 'retry'
}

import type { Insertable, Updateable } from 'kysely'
import type { Db } from '../create-db'
import type {
  MetaWabaInstallRow,
  MetaWabaInstallsTable,
  MetaWebhookReceiptRow,
  MetaWebhookReceiptsTable,
  Mode,
} from '../schema'
import { deleteRowsCreatedBefore } from './scope'

// Receipts: Meta's webhook bodies as they arrived

/** Stores the receipt unless this mode already has one with the same body hash; true if stored. */
export async function insertReceipt(
  db: Db,
  row: Insertable<MetaWebhookReceiptsTable>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('meta_webhook_receipts')
    .values(row)
    .onConflict((oc) => oc.columns(['mode', 'body_sha256']).doNothing())
    .executeTakeFirst()
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0
}

export function findReceiptByBody(
  db: Db,
  mode: Mode,
  bodySha256: string,
): Promise<Pick<MetaWebhookReceiptRow, 'id' | 'status'>> {
  return db
    .selectFrom('meta_webhook_receipts')
    .select(['id', 'status'])
    .where('mode', '=', mode)
    .where('body_sha256', '=', bodySha256)
    .executeTakeFirstOrThrow()
}

export function findReceipt(
  db: Db,
  id: string,
): Promise<
  | Pick<MetaWebhookReceiptRow, 'id' | 'mode' | 'body' | 'status' | 'attempts' | 'received_at'>
  | undefined
> {
  return db
    .selectFrom('meta_webhook_receipts')
    .select(['id', 'mode', 'body', 'status', 'attempts', 'received_at'])
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Pending receipts that arrived before `receivedBefore`, oldest first. */
export async function pendingReceiptIds(
  db: Db,
  options: { receivedBefore: string; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom('meta_webhook_receipts')
    .select('id')
    .where('status', '=', 'pending')
    .where('received_at', '<=', options.receivedBefore)
    .orderBy('received_at', 'asc')
    .orderBy('id', 'asc')
    .limit(options.limit)
    .execute()
  return rows.map((row) => row.id)
}

/**
 * Claims a pending receipt for processing: it becomes `processed` in the caller's
 * transaction, which commits it with everything the processing wrote, or rolls it back to
 * pending. False when it is not pending (any more). One conditional UPDATE is the claim on
 * both databases: SQLite runs one write transaction at a time (BEGIN IMMEDIATE); on
 * PostgreSQL the UPDATE locks the row, so a second claimer waits for the first transaction
 * and then, re-reading the row, finds it no longer pending (or pending again after a
 * rollback). Two workers therefore never process one receipt at once.
 */
export async function claimPendingReceipt(
  trx: Db,
  id: string,
  processedAt: string,
): Promise<boolean> {
  const claimed = await trx
    .updateTable('meta_webhook_receipts')
    .set((eb) => ({
      status: 'processed',
      processed_at: processedAt,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(claimed.numUpdatedRows) > 0
}

export async function updateReceipt(
  db: Db,
  id: string,
  changes: Updateable<MetaWebhookReceiptsTable>,
): Promise<void> {
  await db.updateTable('meta_webhook_receipts').set(changes).where('id', '=', id).execute()
}

/** Updates a receipt only while it is still pending. */
export async function updatePendingReceipt(
  db: Db,
  id: string,
  changes: Updateable<MetaWebhookReceiptsTable>,
): Promise<void> {
  await db
    .updateTable('meta_webhook_receipts')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()
}

/** Deletes up to `batchSize` receipts received before `cutoff` that are no longer pending. */
export async function deleteDoneReceiptsBefore(
  db: Db,
  cutoff: string,
  batchSize: number,
): Promise<number> {
  const done = await db
    .selectFrom('meta_webhook_receipts')
    .select('id')
    .where('received_at', '<', cutoff)
    .where('status', '!=', 'pending')
    .orderBy('received_at', 'asc')
    .orderBy('id', 'asc')
    .limit(batchSize)
    .execute()
  if (done.length === 0) return 0
  const deleted = await db
    .deleteFrom('meta_webhook_receipts')
    .where(
      'id',
      'in',
      done.map((row) => row.id),
    )
    .executeTakeFirst()
  return Number(deleted.numDeletedRows)
}

// Items: what was already relayed, across receipts

/** Marks an item handled; false when an earlier receipt already handled it. */
export async function claimItem(
  db: Db,
  item: { mode: Mode; itemKey: string; receiptId: string; at: string },
): Promise<boolean> {
  const result = await db
    .insertInto('meta_webhook_items')
    .values({
      mode: item.mode,
      item_key: item.itemKey,
      receipt_id: item.receiptId,
      created_at: item.at,
    })
    .onConflict((oc) => oc.columns(['mode', 'item_key']).doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

/** Deletes up to `batchSize` items created before `cutoff`; returns how many went. */
export function deleteItemsBefore(db: Db, cutoff: string, batchSize: number) {
  return deleteRowsCreatedBefore(db, 'meta_webhook_items', cutoff, batchSize)
}

// Installs: what Meta's account_update webhooks said about each WABA

export function findInstall(
  db: Db,
  mode: Mode,
  metaWabaId: string,
): Promise<MetaWabaInstallRow | undefined> {
  return db
    .selectFrom('meta_waba_installs')
    .selectAll()
    .where('mode', '=', mode)
    .where('meta_waba_id', '=', metaWabaId)
    .executeTakeFirst()
}

export async function upsertInstall(
  db: Db,
  key: { mode: Mode; metaWabaId: string },
  row: Omit<Insertable<MetaWabaInstallsTable>, 'mode' | 'meta_waba_id'>,
): Promise<void> {
  await db
    .insertInto('meta_waba_installs')
    .values({ mode: key.mode, meta_waba_id: key.metaWabaId, ...row })
    .onConflict((oc) => oc.columns(['mode', 'meta_waba_id']).doUpdateSet(row))
    .execute()
}

/** Installed WABAs with no connected WABA row of ours in that mode, latest event first. */
export function unclaimedInstalls(
  db: Db,
  input: { mode: Mode; limit: number },
): Promise<MetaWabaInstallRow[]> {
  return db
    .selectFrom('meta_waba_installs as i')
    .selectAll('i')
    .where('i.mode', '=', input.mode)
    .where('i.status', '=', 'installed')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('wabas as w')
            .select('w.id')
            .whereRef('w.meta_waba_id', '=', 'i.meta_waba_id')
            .whereRef('w.mode', '=', 'i.mode')
            .where('w.status', '=', 'connected'),
        ),
      ),
    )
    .orderBy('i.event_time', 'desc')
    .limit(input.limit)
    .execute()
}

/**
 * Marks the WABA's current install as used by `claimant`; false when another claimant holds
 * it or there is no current install.
 */
export async function claimInstall(
  db: Db,
  input: { mode: Mode; metaWabaId: string; claimant: string; at: string },
): Promise<boolean> {
  const claimed = await db
    .updateTable('meta_waba_installs')
    .set({ claimed_by: input.claimant, claimed_at: input.at })
    .where('mode', '=', input.mode)
    .where('meta_waba_id', '=', input.metaWabaId)
    .where('status', '=', 'installed')
    .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '=', input.claimant)]))
    .executeTakeFirst()
  return claimed.numUpdatedRows > 0n
}

/**
 * Takes the WABA's current install for `claimant` before a completion's Graph calls, so of
 * two completers of one sign-up only one goes on: false when someone else holds it, or the
 * claimant itself took it after `staleBefore` (a completion still running; an older hold is
 * one whose process died).
 */
export async function leaseInstall(
  db: Db,
  input: { mode: Mode; metaWabaId: string; claimant: string; at: string; staleBefore: string },
): Promise<boolean> {
  const leased = await db
    .updateTable('meta_waba_installs')
    .set({ claimed_by: input.claimant, claimed_at: input.at })
    .where('mode', '=', input.mode)
    .where('meta_waba_id', '=', input.metaWabaId)
    .where('status', '=', 'installed')
    .where((eb) =>
      eb.or([
        eb('claimed_by', 'is', null),
        eb.and([eb('claimed_by', '=', input.claimant), eb('claimed_at', '<', input.staleBefore)]),
      ]),
    )
    .executeTakeFirst()
  return leased.numUpdatedRows > 0n
}

/** Gives back a lease whose completion did not commit, so the next try may take it. */
export async function releaseInstall(
  db: Db,
  input: { mode: Mode; metaWabaId: string; claimant: string },
): Promise<void> {
  await db
    .updateTable('meta_waba_installs')
    .set({ claimed_by: null, claimed_at: null })
    .where('mode', '=', input.mode)
    .where('meta_waba_id', '=', input.metaWabaId)
    .where('claimed_by', '=', input.claimant)
    .execute()
}

// The console: one organisation's view of the receipts

/**
 * Records, in the processing transaction, which organisations the receipt was about and by
 * which Meta ids: the console lists receipts by this, not by who holds the ids today.
 */
export async function recordReceiptOrganizations(
  trx: Db,
  receipt: { id: string; mode: Mode; receivedAt: string },
  concerned: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<void> {
  if (concerned.size === 0) return
  await trx
    .insertInto('meta_receipt_organizations')
    .values(
      [...concerned].map(([organizationId, metaIds]) => ({
        receipt_id: receipt.id,
        organization_id: organizationId,
        mode: receipt.mode,
        meta_ids: JSON.stringify([...metaIds].sort()),
        received_at: receipt.receivedAt,
      })),
    )
    .onConflict((oc) => oc.columns(['receipt_id', 'organization_id']).doNothing())
    .execute()
}

/**
 * The scope's newest receipts (those recorded as about it when processed), each with the
 * Meta ids by which it concerned the organisation. One range of the scope's index.
 */
export function recentReceiptsOfScope(
  db: Db,
  scope: { organizationId: string; mode: Mode },
  limit: number,
): Promise<(MetaWebhookReceiptRow & { meta_ids: string })[]> {
  return db
    .selectFrom('meta_receipt_organizations as o')
    .innerJoin('meta_webhook_receipts as r', 'r.id', 'o.receipt_id')
    .selectAll('r')
    .select('o.meta_ids')
    .where('o.organization_id', '=', scope.organizationId)
    .where('o.mode', '=', scope.mode)
    .orderBy('o.received_at', 'desc')
    .orderBy('o.receipt_id', 'desc')
    .limit(limit)
    .execute()
}

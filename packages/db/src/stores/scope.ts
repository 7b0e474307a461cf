import type { Db } from '../create-db'
import type { Mode } from '../schema'

/** The organisation and mode a customer row belongs to; every customer query filters on both. */
export interface Scope {
  organizationId: string
  mode: Mode
}

/** One page of a list, newest first. */
export interface Page {
  limit: number
  offset: number
}

/** A page of rows and the exact total of the list it comes from. */
export interface PageOf<Row> {
  rows: Row[]
  total: number
}

/** What Meta's FINISH message named, kept on a pending link or session. */
export interface FinishFacts {
  metaWabaId: string
  metaPhoneNumberId: string | null
  metaBusinessId: string | null
}

/** The FINISH columns links and sessions both carry, with their time. */
export function finishColumns(finish: FinishFacts, at: string) {
  return {
    finish_meta_waba_id: finish.metaWabaId,
    finish_meta_phone_number_id: finish.metaPhoneNumberId,
    finish_meta_business_id: finish.metaBusinessId,
    finish_received_at: at,
  }
}

/**
 * Deletes up to `batchSize` rows created before `cutoff`, oldest first; returns how many
 * went. Portable SQL: the batch is bounded by the creation time of its last row, not rowid
 * (and the items' key is composite).
 */
export async function deleteRowsCreatedBefore(
  db: Db,
  table: 'idempotency_keys' | 'meta_webhook_items',
  cutoff: string,
  batchSize: number,
): Promise<number> {
  const last = await db
    .selectFrom(table)
    .select('created_at')
    .where('created_at', '<', cutoff)
    .orderBy('created_at', 'asc')
    .limit(1)
    .offset(batchSize - 1)
    .executeTakeFirst()
  const result = await db
    .deleteFrom(table)
    .where('created_at', last ? '<=' : '<', last?.created_at ?? cutoff)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

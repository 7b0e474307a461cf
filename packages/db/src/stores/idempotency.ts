import type { Selectable } from 'kysely'
import type { Db } from '../create-db'
import type { IdempotencyKeysTable, Mode } from '../schema'
import { deleteRowsCreatedBefore } from './scope'

export type IdempotencyRecord = Selectable<IdempotencyKeysTable>

/** One Idempotency-Key of one organisation and mode. */
export interface IdempotencyScope {
  organization_id: string
  mode: Mode
  key: string
}

export function findRecord(
  db: Db,
  scope: IdempotencyScope,
): Promise<IdempotencyRecord | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('organization_id', '=', scope.organization_id)
    .where('mode', '=', scope.mode)
    .where('key', '=', scope.key)
    .executeTakeFirst()
}

/**
 * Writes the record, or replaces one created before `replaceCreatedBefore`. False when a
 * record created since holds the key: one atomic statement, so of two concurrent claims
 * only one succeeds.
 */
export async function claimRecord(
  db: Db,
  record: IdempotencyRecord,
  replaceCreatedBefore: string,
): Promise<boolean> {
  const { organization_id: _o, mode: _m, key: _k, ...replacement } = record
  const claimed = await db
    .insertInto('idempotency_keys')
    .values(record)
    .onConflict((oc) =>
      oc
        .columns(['organization_id', 'mode', 'key'])
        .doUpdateSet(replacement)
        .where('idempotency_keys.created_at', '<', replaceCreatedBefore),
    )
    .executeTakeFirst()
  return claimed.numInsertedOrUpdatedRows !== 0n
}

export async function deleteRecord(db: Db, scope: IdempotencyScope): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('organization_id', '=', scope.organization_id)
    .where('mode', '=', scope.mode)
    .where('key', '=', scope.key)
    .execute()
}

export async function saveResponse(
  db: Db,
  scope: IdempotencyScope,
  response: { status: number; body: string },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ response_status: response.status, response_body: response.body })
    .where('organization_id', '=', scope.organization_id)
    .where('mode', '=', scope.mode)
    .where('key', '=', scope.key)
    .execute()
}

/** Deletes up to `batchSize` records created before `cutoff`; returns how many went. */
export function deleteCreatedBefore(db: Db, cutoff: string, batchSize: number) {
  return deleteRowsCreatedBefore(db, 'idempotency_keys', cutoff, batchSize)
}

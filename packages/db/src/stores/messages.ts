import { sql } from 'kysely'
import type { Db } from '../create-db'
import type { MessageRow, MessageStatus, MessageStatusRow, NewMessage } from '../schema'
import { findOwned, pageOwned } from './owned'
import type { Page, PageOf, Scope } from './scope'

export async function insertMessage(db: Db, row: NewMessage): Promise<void> {
  await db.insertInto('messages').values(row).execute()
}

export function findOwnedMessage(db: Db, scope: Scope, id: string) {
  return findOwned(db, 'messages', scope, id)
}

/** A page of one phone's messages, newest first, with the exact total. */
export function pageMessagesOfPhone(
  db: Db,
  scope: Scope,
  phoneId: string,
  page: Page,
): Promise<PageOf<MessageRow>> {
  return pageOwned(db, 'messages', scope, page, [sql<boolean>`phone_number_id = ${phoneId}`])
}

/** One status from Meta's webhooks, whether or not the message's row exists yet. */
export async function insertStatus(db: Db, row: MessageStatusRow): Promise<void> {
  await db.insertInto('message_statuses').values(row).execute()
}

/** The statuses reported for these messages (by Meta's id), in the order they happened. */
export function statusesOf(
  db: Db,
  scope: Scope,
  wamids: readonly string[],
): Promise<MessageStatusRow[]> {
  if (wamids.length === 0) return Promise.resolve([])
  return db
    .selectFrom('message_statuses')
    .selectAll()
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('wamid', 'in', wamids)
    .orderBy('occurred_at', 'asc')
    .orderBy('recorded_at', 'asc')
    .orderBy('id', 'asc')
    .execute()
}

/**
 * Moves the message with this Meta id to `status`, only from one of `from` (the caller's
 * rule of which statuses it may follow). Returns the message's id, or undefined when no
 * message of the scope has that Meta id (not sent through us, or not stored yet).
 */
export async function advanceStatus(
  db: Db,
  input: {
    scope: Scope
    phoneId: string
    wamid: string
    status: MessageStatus
    from: readonly MessageStatus[]
    error: string | null
    at: string
  },
): Promise<string | undefined> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('mode', '=', input.scope.mode)
    .where('wamid', '=', input.wamid)
    .where('organization_id', '=', input.scope.organizationId)
    .where('phone_number_id', '=', input.phoneId)
    .executeTakeFirst()
  if (!row) return undefined
  if (input.from.length > 0) {
    await db
      .updateTable('messages')
      .set({
        status: input.status,
        updated_at: input.at,
        ...(input.error === null ? {} : { error: input.error }),
      })
      .where('id', '=', row.id)
      .where('status', 'in', input.from)
      .execute()
  }
  return row.id
}

/**
 * Deletes up to `batchSize` statuses recorded before `cutoff` for messages not sent through
 * us (no message of their mode has their Meta id); returns how many.
 */
export async function deleteUnclaimedStatusesBefore(
  db: Db,
  cutoff: string,
  batchSize: number,
): Promise<number> {
  const rows = await db
    .selectFrom('message_statuses as s')
    .select('s.id')
    .where('s.recorded_at', '<', cutoff)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('messages as m')
            .select('m.id')
            .whereRef('m.mode', '=', 's.mode')
            .whereRef('m.wamid', '=', 's.wamid'),
        ),
      ),
    )
    .orderBy('s.recorded_at', 'asc')
    .limit(batchSize)
    .execute()
  if (rows.length === 0) return 0
  const result = await db
    .deleteFrom('message_statuses')
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

import type { Insertable } from 'kysely'
import type { Db } from '../create-db'
import type { EventsTable, WebhookDeliveriesTable } from '../schema'

/**
 * The outbox: an event and its pending deliveries, written in the transaction of the change
 * they report, so both commit together.
 */
export async function insertEvent(db: Db, row: Insertable<EventsTable>): Promise<void> {
  await db.insertInto('events').values(row).execute()
}

export async function insertDeliveries(
  db: Db,
  rows: readonly Insertable<WebhookDeliveriesTable>[],
): Promise<void> {
  if (rows.length > 0) await db.insertInto('webhook_deliveries').values(rows).execute()
}

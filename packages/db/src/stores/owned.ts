import type { Expression, Selectable, SqlBool } from 'kysely'
import type { Db } from '../create-db'
import type { Database } from '../schema'
import type { Page, PageOf, Scope } from './scope'

/** Tables whose rows belong to one organisation and mode. */
export type OwnedTable =
  | 'messages'
  | 'onboarding_links'
  | 'outgoing_webhooks'
  | 'phone_numbers'
  | 'signup_sessions'
  | 'wabas'
  | 'webhook_deliveries'

/** The row with this id if it belongs to the scope's organisation and mode. */
export async function findOwned<T extends OwnedTable>(
  db: Db,
  table: T,
  scope: Scope,
  id: string,
): Promise<Selectable<Database[T]> | undefined> {
  const row = await db
    .selectFrom(table as OwnedTable)
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .executeTakeFirst()
  return row as Selectable<Database[T]> | undefined
}

/**
 * A page of the scope's rows, newest first (id breaks ties), with the exact total.
 * `conditions` narrow both the page and the total.
 */
export async function pageOwned<T extends OwnedTable>(
  db: Db,
  table: T,
  scope: Scope,
  page: Page,
  conditions: readonly Expression<SqlBool>[] = [],
): Promise<PageOf<Selectable<Database[T]>>> {
  let scoped = db
    .selectFrom(table as OwnedTable)
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
  for (const condition of conditions) scoped = scoped.where(condition)
  const [rows, count] = await Promise.all([
    scoped
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    scoped.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows: rows as Selectable<Database[T]>[], total: Number(count.total) }
}

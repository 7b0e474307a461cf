import type { Database, Db } from '@onboard/db'
import type { Expression, Selectable, SqlBool } from 'kysely'
import type { Tenant } from '../context'
import { errors } from '../errors'
import { type Pagination, type PaginationQuery, paginationOf } from './pagination'

/** Tables whose rows belong to one organisation and mode. */
const OWNED_TABLES = [
  'onboarding_links',
  'outgoing_webhooks',
  'phone_numbers',
  'signup_sessions',
  'wabas',
] as const
export type OwnedTable = (typeof OWNED_TABLES)[number]

/**
 * The row with this id if it belongs to the tenant's organisation and mode; otherwise a
 * 404 naming `what` — never a 403, so ids of other organisations reveal nothing.
 */
export async function findOwnedRow<T extends OwnedTable>(
  db: Db,
  table: T,
  tenant: Tenant,
  id: string,
  what: string,
): Promise<Selectable<Database[T]>> {
  const row = await db
    .selectFrom(table as OwnedTable)
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', tenant.organizationId)
    .where('mode', '=', tenant.mode)
    .executeTakeFirst()
  if (!row) throw errors.notFound(what)
  return row as Selectable<Database[T]>
}

/**
 * A page of the tenant's rows, newest first (id breaks ties), with the exact total, as
 * every list endpoint answers (DESIGN §4). `filters` narrow both the page and the total.
 */
export async function listOwnedRows<T extends OwnedTable>(
  db: Db,
  table: T,
  tenant: Tenant,
  query: PaginationQuery,
  filters: readonly Expression<SqlBool>[] = [],
): Promise<{ rows: Selectable<Database[T]>[]; pagination: Pagination }> {
  let scoped = db
    .selectFrom(table as OwnedTable)
    .where('organization_id', '=', tenant.organizationId)
    .where('mode', '=', tenant.mode)
  for (const filter of filters) scoped = scoped.where(filter)
  const [rows, count] = await Promise.all([
    scoped
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)
      .execute(),
    scoped.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return {
    rows: rows as Selectable<Database[T]>[],
    pagination: paginationOf(query, Number(count.total)),
  }
}

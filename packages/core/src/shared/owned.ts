import { type Database, type Db, ownedStore } from '@onboard/db'
import type { Selectable } from 'kysely'
import type { Tenant } from '../context'
import { errors } from '../errors'
import { type Pagination, type PaginationQuery, paginationOf } from './pagination'

export type OwnedTable = ownedStore.OwnedTable

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
  const row = await ownedStore.findOwned(db, table, tenant, id)
  if (!row) throw errors.notFound(what)
  return row
}

/** The store's page for a list query (page numbers start at 1). */
export function pageOf(query: PaginationQuery) {
  return { limit: query.limit, offset: (query.page - 1) * query.limit }
}

/**
 * A page of the tenant's rows, newest first (id breaks ties), with the exact total, as
 * every list endpoint answers (DESIGN §4).
 */
export async function listOwnedRows<T extends OwnedTable>(
  db: Db,
  table: T,
  tenant: Tenant,
  query: PaginationQuery,
): Promise<{ rows: Selectable<Database[T]>[]; pagination: Pagination }> {
  const { rows, total } = await ownedStore.pageOwned(db, table, tenant, pageOf(query))
  return { rows, pagination: paginationOf(query, total) }
}

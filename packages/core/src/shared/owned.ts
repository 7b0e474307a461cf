import type { Database, Db } from '@onboard/db'
import type { Selectable } from 'kysely'
import type { Tenant } from '../context'
import { errors } from '../errors'

/** Tables whose rows belong to one organisation and mode. */
export type OwnedTable =
  | 'onboarding_links'
  | 'outgoing_webhooks'
  | 'phone_numbers'
  | 'signup_sessions'
  | 'wabas'

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

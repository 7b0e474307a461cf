import { sql, type Updateable } from 'kysely'
import type { Db } from '../create-db'
import type {
  Mode,
  NewPhoneNumber,
  NewWaba,
  PhoneNumberRow,
  PhoneNumbersTable,
  WabaRow,
  WabasTable,
} from '../schema'
import { findOwned } from './owned'
import type { Page, PageOf, Scope } from './scope'

// WABAs

export function findOwnedWaba(db: Db, scope: Scope, id: string) {
  return findOwned(db, 'wabas', scope, id)
}

export function wabasByIds(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; mode: Mode; meta_waba_id: string }[]> {
  if (ids.length === 0) return Promise.resolve([])
  return db
    .selectFrom('wabas')
    .select(['id', 'mode', 'meta_waba_id'])
    .where('id', 'in', ids)
    .execute()
}

/**
 * Our connected WABA with this Meta id in this mode, in any organisation (latest first): its
 * id and the organisation holding it.
 */
export function connectedWaba(
  db: Db,
  mode: Mode,
  metaWabaId: string,
): Promise<{ id: string; organization_id: string } | undefined> {
  return db
    .selectFrom('wabas')
    .select(['id', 'organization_id'])
    .where('mode', '=', mode)
    .where('meta_waba_id', '=', metaWabaId)
    .where('status', '=', 'connected')
    .orderBy('updated_at', 'desc')
    .executeTakeFirst()
}

/** Whether any organisation holds or ever held this WABA in the mode. */
export async function wabaEverHeld(db: Db, mode: Mode, metaWabaId: string): Promise<boolean> {
  const row = await db
    .selectFrom('wabas')
    .select('id')
    .where('mode', '=', mode)
    .where('meta_waba_id', '=', metaWabaId)
    .executeTakeFirst()
  return row !== undefined
}

export function findWabaByMetaId(
  db: Db,
  scope: Scope,
  metaWabaId: string,
): Promise<{ id: string; status: WabaRow['status'] } | undefined> {
  return db
    .selectFrom('wabas')
    .select(['id', 'status'])
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('meta_waba_id', '=', metaWabaId)
    .executeTakeFirst()
}

/**
 * Whether another organisation holds, in this mode, a connected WABA with this Meta id or a
 * phone with this Meta phone number id under a connected WABA.
 */
export async function heldByAnotherOrganization(
  db: Db,
  scope: Scope,
  about: { metaWabaId: string; metaPhoneNumberId: string | null },
): Promise<boolean> {
  const othersWabas = db
    .selectFrom('wabas as w')
    .select('w.id')
    .where('w.mode', '=', scope.mode)
    .where('w.status', '=', 'connected')
    .where('w.organization_id', '!=', scope.organizationId)
  const [byWaba, byPhone] = await Promise.all([
    othersWabas.where('w.meta_waba_id', '=', about.metaWabaId).executeTakeFirst(),
    about.metaPhoneNumberId === null
      ? undefined
      : othersWabas
          .innerJoin('phone_numbers as p', 'p.waba_id', 'w.id')
          .where('p.meta_phone_number_id', '=', about.metaPhoneNumberId)
          .executeTakeFirst(),
  ])
  return byWaba !== undefined || byPhone !== undefined
}

export async function insertWaba(db: Db, row: NewWaba): Promise<void> {
  await db.insertInto('wabas').values(row).execute()
}

export async function updateWaba(
  db: Db,
  id: string,
  changes: Updateable<WabasTable>,
): Promise<void> {
  await db.updateTable('wabas').set(changes).where('id', '=', id).execute()
}

/** Disconnects our connected WABA with this Meta id in this mode; false when there is none. */
export async function disconnectWaba(
  db: Db,
  input: { mode: Mode; metaWabaId: string; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('wabas')
    .set({ status: 'disconnected', updated_at: input.at })
    .where('mode', '=', input.mode)
    .where('meta_waba_id', '=', input.metaWabaId)
    .where('status', '=', 'connected')
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

// Phone numbers

/** A page of the scope's phones, each with its WABA's Meta id. */
export async function pagePhones(
  db: Db,
  scope: Scope,
  page: Page,
): Promise<PageOf<PhoneNumberRow & { meta_waba_id: string }>> {
  const scoped = db
    .selectFrom('phone_numbers')
    .where('phone_numbers.organization_id', '=', scope.organizationId)
    .where('phone_numbers.mode', '=', scope.mode)
  const [rows, count] = await Promise.all([
    scoped
      .innerJoin('wabas', 'wabas.id', 'phone_numbers.waba_id')
      .selectAll('phone_numbers')
      .select('wabas.meta_waba_id')
      .orderBy('phone_numbers.created_at', 'desc')
      .orderBy('phone_numbers.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    scoped.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.total) }
}

/** The phones of one WABA of the scope, oldest first. */
export function phonesOfWaba(db: Db, scope: Scope, wabaId: string): Promise<PhoneNumberRow[]> {
  return db
    .selectFrom('phone_numbers')
    .selectAll()
    .where('waba_id', '=', wabaId)
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute()
}

/** The phones of these WABAs, oldest first. */
export function phonesOfWabas(db: Db, wabaIds: readonly string[]): Promise<PhoneNumberRow[]> {
  if (wabaIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('phone_numbers')
    .selectAll()
    .where('waba_id', 'in', wabaIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export function phonesByIds(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; phone_number: string; is_registered: number }[]> {
  if (ids.length === 0) return Promise.resolve([])
  return db
    .selectFrom('phone_numbers')
    .select(['id', 'phone_number', 'is_registered'])
    .where('id', 'in', ids)
    .execute()
}

export async function insertPhone(db: Db, row: NewPhoneNumber): Promise<void> {
  await db.insertInto('phone_numbers').values(row).execute()
}

export async function updatePhone(
  db: Db,
  id: string,
  changes: Updateable<PhoneNumbersTable>,
): Promise<void> {
  await db.updateTable('phone_numbers').set(changes).where('id', '=', id).execute()
}

export async function setPhonesMetaStatus(
  db: Db,
  ids: readonly string[],
  input: { metaStatus: string; at: string },
): Promise<void> {
  if (ids.length === 0) return
  await db
    .updateTable('phone_numbers')
    .set({ meta_status: input.metaStatus, updated_at: input.at })
    .where('id', 'in', ids)
    .execute()
}

// Routing Meta's webhooks to our phones

/** A phone under a connected WABA, with what Meta's webhooks are matched and relayed by. */
export interface ConnectedPhone {
  organization_id: string
  mode: Mode
  id: string
  waba_id: string
  meta_phone_number_id: string
  meta_waba_id: string
  phone_number: string
  display_phone_number: string
  meta_status: string | null
  onboarding_link_id: string | null
  external_id: string | null
}

function connectedPhones(db: Db, mode: Mode) {
  return db
    .selectFrom('phone_numbers as p')
    .innerJoin('wabas as w', 'w.id', 'p.waba_id')
    .select([
      'p.organization_id',
      'p.mode',
      'p.id',
      'p.waba_id',
      'p.meta_phone_number_id',
      'w.meta_waba_id',
      'p.phone_number',
      'p.display_phone_number',
      'p.meta_status',
      'p.onboarding_link_id',
      'p.external_id',
    ])
    .where('p.mode', '=', mode)
    .where('w.status', '=', 'connected')
}

/**
 * The connected phone with this Meta phone number id in this mode: the one under the
 * entry's WABA first, then the latest connection.
 */
export function connectedPhoneByMetaId(
  db: Db,
  input: { mode: Mode; metaPhoneNumberId: string; preferMetaWabaId: string | undefined },
): Promise<ConnectedPhone | undefined> {
  return connectedPhones(db, input.mode)
    .where('p.meta_phone_number_id', '=', input.metaPhoneNumberId)
    .orderBy(
      sql`case when ${sql.ref('w.meta_waba_id')} = ${input.preferMetaWabaId ?? ''} then 0 else 1 end`,
    )
    .orderBy('w.updated_at', 'desc')
    .orderBy('p.id')
    .executeTakeFirst()
}

/** The phones of one connected WABA, oldest first. */
export function connectedPhonesOfWaba(
  db: Db,
  mode: Mode,
  wabaId: string,
): Promise<ConnectedPhone[]> {
  return connectedPhones(db, mode)
    .where('p.waba_id', '=', wabaId)
    .orderBy('p.created_at', 'asc')
    .execute()
}

/** Phone health read from Graph, kept to show when Graph cannot be reached. */
export async function storePhoneHealth(
  db: Db,
  phoneId: string,
  input: { health: string; at: string },
): Promise<void> {
  await db
    .updateTable('phone_numbers')
    .set({ last_health: input.health, last_health_at: input.at })
    .where('id', '=', phoneId)
    .execute()
}

/** Whether our app is subscribed to the WABA; a subscription clears the last error. */
export async function setWabaSubscribed(
  db: Db,
  wabaId: string,
  subscribed: boolean,
): Promise<void> {
  await db
    .updateTable('wabas')
    .set({ is_subscribed: subscribed ? 1 : 0, ...(subscribed ? { subscription_error: null } : {}) })
    .where('id', '=', wabaId)
    .execute()
}

/** Meta said the WABA's business token is invalid or expired (190); a new sign-up clears it. */
export async function markTokenInvalid(
  db: Db,
  wabaId: string,
  input: { at: string; error: string },
): Promise<void> {
  await db
    .updateTable('wabas')
    .set({ token_invalid_at: input.at, token_error: input.error })
    .where('id', '=', wabaId)
    .execute()
}

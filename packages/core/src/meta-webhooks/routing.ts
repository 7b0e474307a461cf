import type { Db, Mode } from '@onboard/db'
import { sql } from 'kysely'
import type { Tenant } from '../context'

/** One of our phone rows a Meta webhook is about, with what its events carry. */
export interface RoutedPhone {
  tenant: Tenant
  phoneId: string
  wabaId: string
  metaPhoneNumberId: string
  metaWabaId: string
  phoneNumber: string
  displayPhoneNumber: string
  metaStatus: string | null
  onboardingLinkId: string | null
  externalId: string | null
}

function phonesQuery(trx: Db, mode: Mode) {
  return trx
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

type PhoneSelection = Awaited<ReturnType<ReturnType<typeof phonesQuery>['execute']>>[number]

function toRouted(row: PhoneSelection): RoutedPhone {
  return {
    tenant: { organizationId: row.organization_id, mode: row.mode },
    phoneId: row.id,
    wabaId: row.waba_id,
    metaPhoneNumberId: row.meta_phone_number_id,
    metaWabaId: row.meta_waba_id,
    phoneNumber: row.phone_number,
    displayPhoneNumber: row.display_phone_number,
    metaStatus: row.meta_status,
    onboardingLinkId: row.onboarding_link_id,
    externalId: row.external_id,
  }
}

/**
 * The one connected phone of ours with this Meta phone number id in this mode: Meta's events
 * about a number reach exactly one owner, never every organisation that holds a row for it.
 * A WABA has one connected owner per mode (the wabas_one_connected_owner index); should a
 * number appear under two connected WABAs (Meta moved it), the entry's WABA decides, then
 * the latest connection.
 */
export async function phoneByMetaId(
  trx: Db,
  mode: Mode,
  metaPhoneNumberId: string,
  entryMetaWabaId: string | undefined,
): Promise<RoutedPhone | undefined> {
  const row = await phonesQuery(trx, mode)
    .where('p.meta_phone_number_id', '=', metaPhoneNumberId)
    .orderBy(
      sql`case when ${sql.ref('w.meta_waba_id')} = ${entryMetaWabaId ?? ''} then 0 else 1 end`,
    )
    .orderBy('w.updated_at', 'desc')
    .orderBy('p.id')
    .executeTakeFirst()
  return row ? toRouted(row) : undefined
}

/** The phones of the one connected WABA of ours with this Meta WABA id in this mode. */
export async function phonesOfMetaWaba(
  trx: Db,
  mode: Mode,
  metaWabaId: string,
): Promise<RoutedPhone[]> {
  const owner = await trx
    .selectFrom('wabas')
    .select('id')
    .where('mode', '=', mode)
    .where('meta_waba_id', '=', metaWabaId)
    .where('status', '=', 'connected')
    .orderBy('updated_at', 'desc')
    .executeTakeFirst()
  if (!owner) return []
  const rows = await phonesQuery(trx, mode)
    .where('p.waba_id', '=', owner.id)
    .orderBy('p.created_at', 'asc')
    .execute()
  return rows.map(toRouted)
}

/** The ids an event about this phone carries: ours beside Meta's. */
export function phoneIds(phone: RoutedPhone) {
  return {
    phoneNumberId: phone.phoneId,
    wabaId: phone.wabaId,
    metaPhoneNumberId: phone.metaPhoneNumberId,
    metaWabaId: phone.metaWabaId,
  }
}

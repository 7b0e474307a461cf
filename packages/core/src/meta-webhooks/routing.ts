import type { Db, Mode } from '@onboard/db'
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
 * Every connected phone of ours with this Meta phone number id in this mode. Normally one;
 * several only when two organisations connected the same number, and each gets the event.
 */
export async function phonesByMetaId(
  trx: Db,
  mode: Mode,
  metaPhoneNumberId: string,
): Promise<RoutedPhone[]> {
  const rows = await phonesQuery(trx, mode)
    .where('p.meta_phone_number_id', '=', metaPhoneNumberId)
    .orderBy('p.created_at', 'asc')
    .execute()
  return rows.map(toRouted)
}

/** Every phone of every connected WABA of ours with this Meta WABA id in this mode. */
export async function phonesOfMetaWaba(
  trx: Db,
  mode: Mode,
  metaWabaId: string,
): Promise<RoutedPhone[]> {
  const rows = await phonesQuery(trx, mode)
    .where('w.meta_waba_id', '=', metaWabaId)
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

import { accountsStore, type Db, type Mode } from '@onboard/db'
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

function toRouted(row: accountsStore.ConnectedPhone): RoutedPhone {
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
  const row = await accountsStore.connectedPhoneByMetaId(trx, {
    mode,
    metaPhoneNumberId,
    preferMetaWabaId: entryMetaWabaId,
  })
  return row ? toRouted(row) : undefined
}

/** The phones of the one connected WABA of ours with this Meta WABA id in this mode. */
export async function phonesOfMetaWaba(
  trx: Db,
  mode: Mode,
  metaWabaId: string,
): Promise<RoutedPhone[]> {
  const ownerId = (await accountsStore.connectedWaba(trx, mode, metaWabaId))?.id
  if (ownerId === undefined) return []
  const rows = await accountsStore.connectedPhonesOfWaba(trx, mode, ownerId)
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

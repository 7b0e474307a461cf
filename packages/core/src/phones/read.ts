import { accountsStore, type PhoneNumberRow, type WabaRow } from '@onboard/db'
import { toConnectedAccount } from '../accounts/serialize'
import type { CoreContext, Tenant } from '../context'
import { errors } from '../errors'
import { parseJson } from '../shared/json'
import { findOwnedRow, pageOf } from '../shared/owned'
import { type Pagination, type PaginationQuery, paginationOf } from '../shared/pagination'
import type { Phone, PhoneDetail } from './schemas'

export function toPhone(row: PhoneNumberRow, metaWabaId: string): Phone {
  return {
    id: row.id,
    phoneNumber: row.phone_number,
    displayPhoneNumber: row.display_phone_number,
    metaPhoneNumberId: row.meta_phone_number_id,
    verifiedName: row.verified_name,
    qualityRating: row.quality_rating,
    status: row.meta_status,
    codeVerificationStatus: row.code_verification_status,
    platformType: row.platform_type,
    nameStatus: row.name_status,
    isRegistered: row.is_registered === 1,
    isCoexistence: row.is_coexistence === 1,
    wabaId: row.waba_id,
    metaWabaId,
    onboardingLinkId: row.onboarding_link_id,
    externalId: row.external_id,
    metadata: parseJson(row.metadata),
    isTestProfile: row.mode === 'test',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The phone and its WABA, if both belong to this organisation and mode; otherwise a 404. */
export async function findPhoneRows(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<{ phone: PhoneNumberRow; waba: WabaRow }> {
  const phone = await findOwnedRow(ctx.db, 'phone_numbers', tenant, id, 'phone number')
  const waba = await accountsStore.findOwnedWaba(ctx.db, tenant, phone.waba_id)
  if (!waba) throw errors.notFound('phone number')
  return { phone, waba }
}

export async function getPhone(ctx: CoreContext, tenant: Tenant, id: string): Promise<PhoneDetail> {
  const { phone, waba } = await findPhoneRows(ctx, tenant, id)
  return { ...toPhone(phone, waba.meta_waba_id), connectedAccount: toConnectedAccount(waba) }
}

export async function listPhones(
  ctx: CoreContext,
  tenant: Tenant,
  query: PaginationQuery,
): Promise<{ data: Phone[]; pagination: Pagination }> {
  const { rows, total } = await accountsStore.pagePhones(ctx.db, tenant, pageOf(query))
  return {
    data: rows.map((row) => toPhone(row, row.meta_waba_id)),
    pagination: paginationOf(query, total),
  }
}

export async function listPhonesOfWaba(ctx: CoreContext, waba: WabaRow): Promise<Phone[]> {
  const rows = await accountsStore.phonesOfWaba(
    ctx.db,
    { organizationId: waba.organization_id, mode: waba.mode },
    waba.id,
  )
  return rows.map((row) => toPhone(row, waba.meta_waba_id))
}

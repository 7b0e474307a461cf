import type { PhoneNumberRow, WabaRow } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { errors } from '../errors'
import { parseJson } from '../shared/json'
import { findOwnedRow } from '../shared/owned'
import { type Pagination, type PaginationQuery, paginationOf } from '../shared/pagination'
import { toConnectedAccount } from '../wabas/serialize'
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
  const waba = await ctx.db
    .selectFrom('wabas')
    .selectAll()
    .where('id', '=', phone.waba_id)
    .where('organization_id', '=', tenant.organizationId)
    .where('mode', '=', tenant.mode)
    .executeTakeFirst()
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
  const scoped = ctx.db
    .selectFrom('phone_numbers')
    .where('phone_numbers.organization_id', '=', tenant.organizationId)
    .where('phone_numbers.mode', '=', tenant.mode)
  const [rows, count] = await Promise.all([
    scoped
      .innerJoin('wabas', 'wabas.id', 'phone_numbers.waba_id')
      .selectAll('phone_numbers')
      .select('wabas.meta_waba_id')
      .orderBy('phone_numbers.created_at', 'desc')
      .orderBy('phone_numbers.id', 'desc')
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)
      .execute(),
    scoped.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return {
    data: rows.map((row) => toPhone(row, row.meta_waba_id)),
    pagination: paginationOf(query, Number(count.total)),
  }
}

export async function listPhonesOfWaba(ctx: CoreContext, waba: WabaRow): Promise<Phone[]> {
  const rows = await ctx.db
    .selectFrom('phone_numbers')
    .selectAll()
    .where('waba_id', '=', waba.id)
    .where('organization_id', '=', waba.organization_id)
    .where('mode', '=', waba.mode)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute()
  return rows.map((row) => toPhone(row, waba.meta_waba_id))
}

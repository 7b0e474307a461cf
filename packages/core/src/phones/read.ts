import { accountsStore, type PhoneNumberRow, type WabaRow } from '@onboard/db'
import type { Phone } from '../accounts/schemas'
import { toConnectedAccount, toPhone } from '../accounts/serialize'
import type { CoreContext, Tenant } from '../context'
import { errors } from '../errors'
import { findOwnedRow, pageOf } from '../shared/owned'
import { type Pagination, type PaginationQuery, paginationOf } from '../shared/pagination'
import type { PhoneDetail } from './schemas'

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

import { accountsStore, type WabaRow } from '@onboard/db'
import type { ConnectedAccount, GraphLookupError, Phone, Waba } from '../accounts/schemas'
import { lookupError, toConnectedAccount, toPhone, toWaba } from '../accounts/serialize'
import type { CoreContext, Tenant } from '../context'
import type { MetaApps } from '../meta-apps'
import { decryptSecret } from '../secrets'
import { findOwnedRow, listOwnedRows } from '../shared/owned'
import type { Pagination, PaginationQuery } from '../shared/pagination'

async function findWabaRow(ctx: CoreContext, tenant: Tenant, id: string): Promise<WabaRow> {
  return findOwnedRow(ctx.db, 'wabas', tenant, id, 'WABA')
}

export async function getWaba(ctx: CoreContext, tenant: Tenant, id: string): Promise<Waba> {
  return toWaba(await findWabaRow(ctx, tenant, id))
}

export async function listWabas(
  ctx: CoreContext,
  tenant: Tenant,
  query: PaginationQuery,
): Promise<{ data: Waba[]; pagination: Pagination }> {
  const { rows, pagination } = await listOwnedRows(ctx.db, 'wabas', tenant, query)
  return { data: rows.map(toWaba), pagination }
}

/** GET /v1/wabas/:id/connection: stored facts, refreshed from Graph when Meta answers. */
export async function getWabaConnection(
  ctx: CoreContext,
  metaApps: MetaApps,
  tenant: Tenant,
  id: string,
): Promise<{ waba: Waba; connectedAccount: ConnectedAccount; phones: Phone[] }> {
  const row = await findWabaRow(ctx, tenant, id)
  const stored = toWaba(row)
  const graphLookupErrors: GraphLookupError[] = []
  let waba = stored
  const app = metaApps.forMode(row.mode)
  if (!app) {
    graphLookupErrors.push({
      operation: 'getWaba',
      code: 'meta_not_configured',
      message: 'Live mode has no Meta app configured; showing stored values.',
    })
  } else {
    try {
      const token = decryptSecret(ctx.keyring, row.access_token_enc)
      const live = await app.client.getWaba(row.meta_waba_id, token)
      waba = {
        ...stored,
        name: live.name || stored.name,
        currency: live.currency ?? stored.currency,
        timezoneId: live.timezoneId ?? stored.timezoneId,
        ownerBusiness: live.ownerBusiness ?? stored.ownerBusiness,
      }
    } catch (error) {
      graphLookupErrors.push(lookupError('getWaba', error))
    }
  }
  const phones = await listPhonesOfWaba(ctx, row)
  return { waba, connectedAccount: toConnectedAccount(row, { waba, graphLookupErrors }), phones }
}

/** The WABA's numbers as the connection read lists them. */
async function listPhonesOfWaba(ctx: CoreContext, waba: WabaRow): Promise<Phone[]> {
  const rows = await accountsStore.phonesOfWaba(
    ctx.db,
    { organizationId: waba.organization_id, mode: waba.mode },
    waba.id,
  )
  return rows.map((row) => toPhone(row, waba.meta_waba_id))
}

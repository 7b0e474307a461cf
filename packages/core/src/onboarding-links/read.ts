import { accountsStore, linksStore, type OnboardingLinkRow } from '@onboard/db'
import { z } from 'zod'
import type { CoreContext, Tenant } from '../context'
import { errors } from '../errors'
import { findOwnedRow, pageOf } from '../shared/owned'
import { type Pagination, type PaginationQuery, paginationOf } from '../shared/pagination'
import type { OnboardingLink } from './schemas'
import { type LinkConnection, toOnboardingLink } from './serialize'

/** The link row if it belongs to this organisation and mode; otherwise a 404, never a 403. */
export async function findOnboardingLinkRow(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<OnboardingLinkRow> {
  return findOwnedRow(ctx.db, 'onboarding_links', tenant, id, 'onboarding link')
}

/** The connected phone's number and registration state, for completed links, in one query. */
async function connectionsOf(
  ctx: CoreContext,
  rows: OnboardingLinkRow[],
): Promise<Map<string, LinkConnection>> {
  const phoneIds = rows.flatMap((row) => (row.phone_number_id ? [row.phone_number_id] : []))
  if (phoneIds.length === 0) return new Map()
  const phones = await accountsStore.phonesByIds(ctx.db, phoneIds)
  return new Map(
    phones.map((p) => [
      p.id,
      { phoneNumber: p.phone_number, isPhoneRegistered: p.is_registered === 1 },
    ]),
  )
}

export async function serializeLinks(
  ctx: CoreContext,
  rows: OnboardingLinkRow[],
): Promise<OnboardingLink[]> {
  const connections = await connectionsOf(ctx, rows)
  const now = ctx.now()
  return rows.map((row) =>
    toOnboardingLink(row, {
      publicBaseUrl: ctx.publicBaseUrl,
      now,
      connection: row.phone_number_id ? connections.get(row.phone_number_id) : undefined,
    }),
  )
}

export async function getOnboardingLink(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<OnboardingLink> {
  const row = await findOnboardingLinkRow(ctx, tenant, id)
  const [link] = await serializeLinks(ctx, [row])
  if (!link) throw errors.notFound('onboarding link')
  return link
}

export async function listOnboardingLinks(
  ctx: CoreContext,
  tenant: Tenant,
  query: PaginationQuery,
): Promise<{ data: OnboardingLink[]; pagination: Pagination }> {
  const { rows, total } = await linksStore.pageLinks(ctx.db, tenant, pageOf(query))
  return {
    data: await serializeLinks(ctx, rows),
    pagination: paginationOf(query, total),
  }
}

export const linkListFilterSchema = z.object({
  status: z.enum(['pending', 'completed', 'expired']).optional(),
  search: z.string().trim().max(255).optional(),
})

export type LinkListFilter = z.infer<typeof linkListFilterSchema>

/** The console's list: the API's page of links, narrowed by status and a name or externalId. */
export async function searchOnboardingLinks(
  ctx: CoreContext,
  tenant: Tenant,
  query: PaginationQuery & LinkListFilter,
): Promise<{ data: OnboardingLink[]; pagination: Pagination }> {
  const search = query.search || undefined
  if (!query.status && !search) return listOnboardingLinks(ctx, tenant, query)
  const { rows, total } = await linksStore.pageLinksMatching(ctx.db, tenant, pageOf(query), {
    ...(query.status ? { status: query.status } : {}),
    ...(search ? { search } : {}),
    now: ctx.now().toISOString(),
  })
  return { data: await serializeLinks(ctx, rows), pagination: paginationOf(query, total) }
}

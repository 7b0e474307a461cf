import type { OnboardingLinkRow } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { errors } from '../errors'
import { type Pagination, type PaginationQuery, paginationOf } from '../shared/pagination'
import type { OnboardingLink } from './schemas'
import { toOnboardingLink } from './serialize'

/** The link row if it belongs to this organisation and mode; otherwise a 404, never a 403. */
export async function findOnboardingLinkRow(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<OnboardingLinkRow> {
  const row = await ctx.db
    .selectFrom('onboarding_links')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', tenant.organizationId)
    .where('mode', '=', tenant.mode)
    .executeTakeFirst()
  if (!row) throw errors.notFound('onboarding link')
  return row
}

export async function getOnboardingLink(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<OnboardingLink> {
  const row = await findOnboardingLinkRow(ctx, tenant, id)
  return toOnboardingLink(row, { publicBaseUrl: ctx.publicBaseUrl, now: ctx.now() })
}

export async function listOnboardingLinks(
  ctx: CoreContext,
  tenant: Tenant,
  query: PaginationQuery,
): Promise<{ data: OnboardingLink[]; pagination: Pagination }> {
  const scoped = ctx.db
    .selectFrom('onboarding_links')
    .where('organization_id', '=', tenant.organizationId)
    .where('mode', '=', tenant.mode)
  const [rows, count] = await Promise.all([
    scoped
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)
      .execute(),
    scoped.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  const now = ctx.now()
  return {
    data: rows.map((row) => toOnboardingLink(row, { publicBaseUrl: ctx.publicBaseUrl, now })),
    pagination: paginationOf(query, Number(count.total)),
  }
}

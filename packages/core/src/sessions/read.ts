import { accountsStore, type SignupSessionRow, sessionsStore } from '@onboard/db'
import { businessProfileIdOf } from '../business-profiles/ids'
import type { CoreContext, Tenant } from '../context'
import { errors } from '../errors'
import { findInstalledWaba } from '../meta-webhooks/installs'
import { parseJson } from '../shared/json'
import { findOwnedRow, pageOf } from '../shared/owned'
import { type Pagination, type PaginationQuery, paginationOf } from '../shared/pagination'
import type { Prefill } from '../shared/prefill'
import { documentedErrorCode } from './errors'
import type { Session, SessionStatus } from './schemas'
import { effectiveSessionStatus, sessionUrlOf } from './status'

/** The session if it belongs to this organisation and mode; otherwise a 404, never a 403. */
export async function findSessionRow(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<SignupSessionRow> {
  return findOwnedRow(ctx.db, 'signup_sessions', tenant, id, 'signup session')
}

/** The connected WABAs, their phones and Meta's install facts for a page of sessions. */
async function connectionsOf(ctx: CoreContext, rows: SignupSessionRow[]) {
  const wabaIds = rows.flatMap((row) => (row.waba_id ? [row.waba_id] : []))
  if (wabaIds.length === 0) return { wabas: new Map(), phones: [], installs: new Map() }
  const [wabas, phones] = await Promise.all([
    accountsStore.wabasByIds(ctx.db, wabaIds),
    accountsStore.phonesOfWabas(ctx.db, wabaIds),
  ])
  const installs = new Map(
    await Promise.all(
      wabas.map(
        async (waba) =>
          [
            waba.id,
            await findInstalledWaba(ctx.db, { mode: waba.mode, metaWabaId: waba.meta_waba_id }),
          ] as const,
      ),
    ),
  )
  return { wabas: new Map(wabas.map((w) => [w.id, w])), phones, installs }
}

async function serializeSessions(ctx: CoreContext, rows: SignupSessionRow[]): Promise<Session[]> {
  const { wabas, phones, installs } = await connectionsOf(ctx, rows)
  const now = ctx.now()
  return rows.map((row) => {
    const waba = row.waba_id ? wabas.get(row.waba_id) : undefined
    const install = row.waba_id ? installs.get(row.waba_id) : null
    return {
      id: row.id,
      status: effectiveSessionStatus(row, now),
      url: sessionUrlOf(ctx.publicBaseUrl, row.id),
      redirect_uri: row.redirect_uri,
      state: row.state,
      metadata: parseJson(row.metadata),
      prefill: parseJson<Prefill>(row.prefill),
      expires_at: row.expires_at,
      created_at: row.created_at,
      completed_at: row.completed_at,
      completed_via: row.completed_via,
      error:
        row.error_code === null
          ? null
          : {
              code: documentedErrorCode(row.error_code),
              message: row.error_message ?? 'The signup failed.',
            },
      waba_id: row.waba_id,
      meta_waba_id: waba?.meta_waba_id ?? null,
      business_profile_id: row.waba_id ? businessProfileIdOf(row.waba_id) : null,
      phone_numbers: phones
        .filter((phone) => waba && phone.waba_id === waba.id)
        .map((phone) => ({
          id: phone.id,
          phone_number: phone.phone_number,
          display_phone_number: phone.display_phone_number,
          meta_phone_number_id: phone.meta_phone_number_id,
          is_registered: phone.is_registered === 1,
        })),
      meta_install: install
        ? {
            status: install.status,
            last_event: install.lastEvent,
            installed_at: install.installedAt,
            event_time: install.eventTime,
          }
        : null,
    }
  })
}

export async function getSession(ctx: CoreContext, tenant: Tenant, id: string): Promise<Session> {
  const row = await findSessionRow(ctx, tenant, id)
  const [session] = await serializeSessions(ctx, [row])
  if (!session) throw errors.notFound('signup session')
  return session
}

export async function listSessions(
  ctx: CoreContext,
  tenant: Tenant,
  query: PaginationQuery & { status?: SessionStatus; metadataFilters: Record<string, string> },
): Promise<{ data: Session[]; pagination: Pagination }> {
  // Expiry is computed: the store filters on expires_at as effectiveSessionStatus does.
  const { rows, total } = await sessionsStore.pageSessions(ctx.db, tenant, pageOf(query), {
    status: query.status,
    now: ctx.now().toISOString(),
    metadata: query.metadataFilters,
  })
  return { data: await serializeSessions(ctx, rows), pagination: paginationOf(query, total) }
}

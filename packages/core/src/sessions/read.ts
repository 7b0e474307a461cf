import { type Dialect, dialectOf, type SignupSessionRow } from '@onboard/db'
import { sql } from 'kysely'
import { businessProfileIdOf } from '../business-profiles/ids'
import type { CoreContext, Tenant } from '../context'
import { errors } from '../errors'
import { findInstalledWaba } from '../meta-webhooks/installs'
import { parseJson } from '../shared/json'
import { findOwnedRow, listOwnedRows } from '../shared/owned'
import type { Pagination, PaginationQuery } from '../shared/pagination'
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
    ctx.db
      .selectFrom('wabas')
      .select(['id', 'mode', 'meta_waba_id'])
      .where('id', 'in', wabaIds)
      .execute(),
    ctx.db
      .selectFrom('phone_numbers')
      .select([
        'id',
        'waba_id',
        'phone_number',
        'display_phone_number',
        'meta_phone_number_id',
        'is_registered',
        'created_at',
      ])
      .where('waba_id', 'in', wabaIds)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
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

export async function serializeSessions(
  ctx: CoreContext,
  rows: SignupSessionRow[],
): Promise<Session[]> {
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

/** Expiry is computed, so the status filter says in SQL what effectiveSessionStatus says. */
function statusCondition(status: SessionStatus, now: string) {
  if (status === 'pending') return sql<boolean>`status = 'pending' and expires_at > ${now}`
  if (status === 'expired') return sql<boolean>`status = 'pending' and expires_at <= ${now}`
  return sql<boolean>`status = ${status}`
}

/** Matches string and number values as text; the key and the value are bound parameters. */
function metadataCondition(dialect: Dialect, key: string, value: string) {
  if (dialect === 'postgres') {
    return sql<boolean>`jsonb_typeof(metadata::jsonb -> ${key}) in ('string', 'number') and metadata::jsonb ->> ${key} = ${value}`
  }
  const path = `$."${key}"`
  return sql<boolean>`json_type(metadata, ${path}) in ('text', 'integer', 'real') and cast(json_extract(metadata, ${path}) as text) = ${value}`
}

export async function listSessions(
  ctx: CoreContext,
  tenant: Tenant,
  query: PaginationQuery & { status?: SessionStatus; metadataFilters: Record<string, string> },
): Promise<{ data: Session[]; pagination: Pagination }> {
  const now = ctx.now().toISOString()
  const filters = [
    ...(query.status ? [statusCondition(query.status, now)] : []),
    ...Object.entries(query.metadataFilters).map(([key, value]) =>
      metadataCondition(dialectOf(ctx.db), key, value),
    ),
  ]
  const { rows, pagination } = await listOwnedRows(
    ctx.db,
    'signup_sessions',
    tenant,
    query,
    filters,
  )
  return { data: await serializeSessions(ctx, rows), pagination }
}

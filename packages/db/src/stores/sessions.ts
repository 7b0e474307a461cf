import type { Insertable } from 'kysely'
import { type Expression, type SqlBool, sql } from 'kysely'
import type { Db } from '../create-db'
import { type Dialect, dialectOf } from '../dialect'
import type { Mode, SignupSessionRow, SignupSessionsTable } from '../schema'
import { pageOwned } from './owned'
import { type FinishFacts, finishColumns, type Page, type PageOf, type Scope } from './scope'

export async function insertSession(db: Db, row: Insertable<SignupSessionsTable>): Promise<void> {
  await db.insertInto('signup_sessions').values(row).execute()
}

/** A session by id in any organisation, with its organisation's name (the hosted page). */
export async function findSessionWithOrganizationName(
  db: Db,
  id: string,
): Promise<{ session: SignupSessionRow; organizationName: string } | undefined> {
  const row = await db
    .selectFrom('signup_sessions')
    .innerJoin('organizations', 'organizations.id', 'signup_sessions.organization_id')
    .selectAll('signup_sessions')
    .select('organizations.name as organization_name')
    .where('signup_sessions.id', '=', id)
    .executeTakeFirst()
  if (!row) return undefined
  const { organization_name, ...session } = row
  return { session, organizationName: organization_name }
}

export async function sessionExists(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('signup_sessions')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst()
  return row !== undefined
}

export async function deleteOwnedSession(db: Db, scope: Scope, id: string): Promise<void> {
  await db
    .deleteFrom('signup_sessions')
    .where('id', '=', id)
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .execute()
}

/** Marks the session completed if its status is one of `from`; false otherwise (or gone). */
export async function markSessionCompleted(
  db: Db,
  id: string,
  input: {
    from: SignupSessionRow['status'][]
    via: 'redirect' | 'manual'
    wabaId: string
    phoneId: string
    at: string
  },
): Promise<boolean> {
  const updated = await db
    .updateTable('signup_sessions')
    .set({
      status: 'completed',
      completed_at: input.at,
      completed_via: input.via,
      updated_at: input.at,
      waba_id: input.wabaId,
      phone_number_id: input.phoneId,
      error_code: null,
      error_message: null,
    })
    .where('id', '=', id)
    .where('status', 'in', input.from)
    .executeTakeFirst()
  return updated.numUpdatedRows > 0n
}

/** Records the FINISH a pending session's page posted with its callback. */
export async function recordSessionFinish(
  db: Db,
  id: string,
  finish: FinishFacts,
  at: string,
): Promise<void> {
  await db
    .updateTable('signup_sessions')
    .set(finishColumns(finish, at))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()
}

/** Ends a pending session as cancelled or failed, with the error it ended on. */
export async function endPendingSession(
  db: Db,
  id: string,
  input: { status: 'cancelled' | 'failed'; errorCode: string; errorMessage: string; at: string },
): Promise<void> {
  await db
    .updateTable('signup_sessions')
    .set({
      status: input.status,
      error_code: input.errorCode,
      error_message: input.errorMessage,
      updated_at: input.at,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()
}

/** Another pending or failed session of this mode whose FINISH named this Meta WABA. */
export async function otherOpenSessionWithFinishWaba(
  db: Db,
  input: { mode: Mode; metaWabaId: string; exceptId: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('signup_sessions')
    .select('id')
    .where('mode', '=', input.mode)
    .where('finish_meta_waba_id', '=', input.metaWabaId)
    .where('id', '!=', input.exceptId)
    .where('status', 'in', ['pending', 'failed'])
    .executeTakeFirst()
  return row !== undefined
}

/** The listed status: expiry is computed from expires_at, as the API shows it. */
export type SessionStatusFilter = 'pending' | 'expired' | SignupSessionRow['status']

function statusCondition(status: SessionStatusFilter, now: string): Expression<SqlBool> {
  if (status === 'pending') return sql<boolean>`status = 'pending' and expires_at > ${now}`
  if (status === 'expired') return sql<boolean>`status = 'pending' and expires_at <= ${now}`
  return sql<boolean>`status = ${status}`
}

/**
 * Matches string and number metadata values as text; the key and the value are bound
 * parameters. The key must already be checked against a strict pattern: on SQLite it
 * becomes a JSON path (`$."key"`).
 */
function metadataCondition(dialect: Dialect, key: string, value: string): Expression<SqlBool> {
  if (dialect === 'postgres') {
    return sql<boolean>`jsonb_typeof(metadata::jsonb -> ${key}) in ('string', 'number') and metadata::jsonb ->> ${key} = ${value}`
  }
  const path = `$."${key}"`
  return sql<boolean>`json_type(metadata, ${path}) in ('text', 'integer', 'real') and cast(json_extract(metadata, ${path}) as text) = ${value}`
}

/** A page of the scope's sessions, filtered by status (as of `now`) and metadata values. */
export function pageSessions(
  db: Db,
  scope: Scope,
  page: Page,
  filters: { status?: SessionStatusFilter; now: string; metadata: Record<string, string> },
): Promise<PageOf<SignupSessionRow>> {
  const dialect = dialectOf(db)
  const conditions = [
    ...(filters.status ? [statusCondition(filters.status, filters.now)] : []),
    ...Object.entries(filters.metadata).map(([key, value]) =>
      metadataCondition(dialect, key, value),
    ),
  ]
  return pageOwned(db, 'signup_sessions', scope, page, conditions)
}

import { type Expression, type Insertable, type SqlBool, sql } from 'kysely'
import type { Db } from '../create-db'
import { isPostgres } from '../dialect'
import type { Mode, NewOnboardingLink, OnboardingLinkRow, SignupAttemptsTable } from '../schema'
import { pageOwned } from './owned'
import { type FinishFacts, finishColumns, type Page, type PageOf, type Scope } from './scope'

/** A link by id in any organisation (the hosted page's id is its only key). */
export function findLink(db: Db, id: string): Promise<OnboardingLinkRow | undefined> {
  return db.selectFrom('onboarding_links').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function linkExists(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('onboarding_links')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst()
  return row !== undefined
}

export async function insertLink(db: Db, row: NewOnboardingLink): Promise<void> {
  await db.insertInto('onboarding_links').values(row).execute()
}

/**
 * A page of the scope's links, newest first. The total is read from onboarding_link_counts,
 * kept exact by triggers (migration 0007): count(*) would read every row of the scope.
 */
export async function pageLinks(
  db: Db,
  scope: Scope,
  page: Page,
): Promise<PageOf<OnboardingLinkRow>> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('onboarding_links')
      .selectAll()
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('onboarding_link_counts')
      .select('total')
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .executeTakeFirst(),
  ])
  return { rows, total: count?.total ?? 0 }
}

/** Deletes the link while it is pending; false when it is not (any more). */
export async function deletePendingLink(db: Db, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('onboarding_links')
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** Marks a pending link completed; false when it was not pending (or is gone). */
export async function markLinkCompleted(
  db: Db,
  id: string,
  ids: { wabaId: string; phoneId: string; at: string },
): Promise<boolean> {
  const updated = await db
    .updateTable('onboarding_links')
    .set({
      status: 'completed',
      completed_at: ids.at,
      updated_at: ids.at,
      phone_number_id: ids.phoneId,
      waba_id: ids.wabaId,
      last_error: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return updated.numUpdatedRows > 0n
}

/**
 * Records a FINISH a pending link's page saw (`event`: which of Meta's FINISH events). The
 * same WABA named again changes nothing, so its time stays when it was first named; a
 * different WABA replaces it, at most `maxChanges` times per link (a second press of Connect
 * may finish another WABA; a page naming ever new ones is not a person).
 */
export async function recordLinkFinish(
  db: Db,
  id: string,
  finish: FinishFacts & { event: string | null },
  input: { at: string; maxChanges: number },
): Promise<void> {
  await db
    .updateTable('onboarding_links')
    .set((eb) => ({
      ...finishColumns(finish, input.at),
      finish_event: finish.event,
      finish_changes: eb('finish_changes', '+', 1),
      unattended_retry_at: null,
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('finish_changes', '<', input.maxChanges)
    .where((eb) =>
      eb.or([
        eb('finish_meta_waba_id', 'is', null),
        eb('finish_meta_waba_id', '!=', finish.metaWabaId),
      ]),
    )
    .execute()
}

/** When the unattended completion may look at this link again (see linksAwaitingInstall). */
export async function setUnattendedRetry(db: Db, id: string, retryAt: string): Promise<void> {
  await db
    .updateTable('onboarding_links')
    .set({ unattended_retry_at: retryAt })
    .where('id', '=', id)
    .execute()
}

/** A pending link's last error (and, for a cancellation, the step it stopped at). */
export async function setPendingLinkError(
  db: Db,
  id: string,
  input: { lastError: string | null; cancelStep?: string | null; at: string },
): Promise<void> {
  await db
    .updateTable('onboarding_links')
    .set({
      last_error: input.lastError,
      ...(input.cancelStep !== undefined ? { cancel_step: input.cancelStep } : {}),
      updated_at: input.at,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()
}

/** A link of this mode, not completed, whose FINISH named this Meta WABA (other than `exceptId`). */
export async function unfinishedLinkWithFinishWaba(
  db: Db,
  mode: Mode,
  metaWabaId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('onboarding_links')
    .select('id')
    .where('mode', '=', mode)
    .where('finish_meta_waba_id', '=', metaWabaId)
    .where('status', '!=', 'completed')
    .executeTakeFirst()
  return row !== undefined
}

/** Whether a pending, unexpired link other than `exceptId` recorded a FINISH naming the WABA. */
export async function otherPendingLinkWithFinishWaba(
  db: Db,
  input: { mode: Mode; metaWabaId: string; exceptId: string; now: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('onboarding_links')
    .select('id')
    .where('mode', '=', input.mode)
    .where('finish_meta_waba_id', '=', input.metaWabaId)
    .where('id', '!=', input.exceptId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', input.now)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Pending, unexpired links whose page recorded Meta's FINISH at or before `finishedBefore`
 * and whose FINISH WABA has a current, unclaimed PARTNER_APP_INSTALLED in the link's mode,
 * received within the link's life (from its creation's second to its expiry), and that no
 * organisation holds connected: sign-ups Meta finished that no callback completed.
 * `metaWabaIds` narrows them to those WABAs.
 */
export function linksAwaitingInstall(
  db: Db,
  input: {
    now: string
    finishedBefore: string
    /** A lease on the install taken before this is abandoned (see leaseInstall). */
    staleBefore: string
    /** How far apart Meta's install and the page's FINISH may be, in seconds. */
    installNearFinishSeconds: number
    limit: number
    modes: Mode[]
    metaWabaIds?: string[]
  },
): Promise<OnboardingLinkRow[]> {
  if (input.modes.length === 0) return Promise.resolve([])
  let query = db
    .selectFrom('onboarding_links as l')
    .innerJoin('meta_waba_installs as i', (join) =>
      join.onRef('i.mode', '=', 'l.mode').onRef('i.meta_waba_id', '=', 'l.finish_meta_waba_id'),
    )
    .selectAll('l')
    .where('l.status', '=', 'pending')
    .where('l.expires_at', '>', input.now)
    .where('l.finish_received_at', '<=', input.finishedBefore)
    .where('i.status', '=', 'installed')
    // Unclaimed, or held by this link's own completion whose process died (see leaseInstall).
    .where((eb) =>
      eb.or([
        eb('i.claimed_by', 'is', null),
        eb.and([
          eb('i.claimed_by', '=', eb.ref('l.id')),
          eb('i.claimed_at', '<', input.staleBefore),
        ]),
      ]),
    )
    .where(sql<SqlBool>`i.installed_at >= substr(l.created_at, 1, 19) || '.000Z'`)
    .whereRef('i.installed_at', '<=', 'l.expires_at')
    .where(
      secondsApart(db, 'i.installed_at', 'l.finish_received_at', input.installNearFinishSeconds),
    )
    // Two unfinished sign-ups whose pages named the WABA: neither is completed unattended.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('onboarding_links as other')
            .select('other.id')
            .whereRef('other.mode', '=', 'l.mode')
            .whereRef('other.finish_meta_waba_id', '=', 'l.finish_meta_waba_id')
            .whereRef('other.id', '!=', 'l.id')
            .where('other.status', '=', 'pending')
            .where('other.expires_at', '>', input.now),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('signup_sessions as s')
            .select('s.id')
            .whereRef('s.mode', '=', 'l.mode')
            .whereRef('s.finish_meta_waba_id', '=', 'l.finish_meta_waba_id')
            .where('s.status', 'in', ['pending', 'failed']),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('wabas as w')
            .select('w.id')
            .whereRef('w.meta_waba_id', '=', 'l.finish_meta_waba_id')
            // Held now or before, by anyone: whoever held it knows its id (see unattended.ts).
            .whereRef('w.mode', '=', 'l.mode'),
        ),
      ),
    )
    .where((eb) =>
      eb.or([
        eb('l.unattended_retry_at', 'is', null),
        eb('l.unattended_retry_at', '<=', input.now),
      ]),
    )
  query = query.where('l.mode', 'in', input.modes)
  if (input.metaWabaIds !== undefined) {
    if (input.metaWabaIds.length === 0) return Promise.resolve([])
    query = query.where('l.finish_meta_waba_id', 'in', input.metaWabaIds)
    return query.orderBy('l.finish_received_at').orderBy('l.id').limit(input.limit).execute()
  }
  // The sweep takes a random batch: links whose Graph steps keep failing must not hold the
  // head of the queue and starve every other organisation's.
  return query.orderBy(sql`random()`).limit(input.limit).execute()
}

/** Whether two ISO-8601 text times are at most `seconds` apart. */
function secondsApart(db: Db, a: string, b: string, seconds: number): Expression<SqlBool> {
  if (isPostgres(db)) {
    return sql<SqlBool>`abs(extract(epoch from (${sql.ref(a)}::timestamptz - ${sql.ref(b)}::timestamptz))) <= ${seconds}`
  }
  return sql<SqlBool>`abs(julianday(${sql.ref(a)}) - julianday(${sql.ref(b)})) * 86400 <= ${seconds}`
}

export async function insertSignupAttempt(
  db: Db,
  row: Insertable<SignupAttemptsTable>,
): Promise<void> {
  await db.insertInto('signup_attempts').values(row).execute()
}

/** What the console's link list narrows by: a status as read (expiry computed) and a text. */
export interface LinkFilter {
  status?: 'pending' | 'completed' | 'expired'
  /** Part of the name (any case) or the whole externalId. */
  search?: string
  /** For the computed statuses: a pending link past this time reads as expired. */
  now: string
}

/** `%` and `_` in the person's text match themselves, not any characters. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** A page of the scope's links matching the filter, newest first, with the exact total. */
export function pageLinksMatching(
  db: Db,
  scope: Scope,
  page: Page,
  filter: LinkFilter,
): Promise<PageOf<OnboardingLinkRow>> {
  const conditions: Expression<SqlBool>[] = []
  if (filter.status === 'completed') conditions.push(sql<SqlBool>`status = 'completed'`)
  if (filter.status === 'pending') {
    conditions.push(sql<SqlBool>`status = 'pending' and expires_at > ${filter.now}`)
  }
  if (filter.status === 'expired') {
    conditions.push(
      sql<SqlBool>`(status = 'expired' or (status = 'pending' and expires_at <= ${filter.now}))`,
    )
  }
  if (filter.search) {
    conditions.push(
      sql<SqlBool>`(lower(name) like ${likePattern(filter.search)} escape '\\' or external_id = ${filter.search})`,
    )
  }
  return pageOwned(db, 'onboarding_links', scope, page, conditions)
}

/**
 * Claims up to `limit` pending links past their expiry whose expiry was not yet announced,
 * marking them announced at `at`, and returns them. One conditional UPDATE: its WHERE is
 * checked again on each row it writes, so two workers never claim one link. On PostgreSQL
 * rows another worker holds are skipped (SKIP LOCKED) rather than waited for; SQLite runs
 * one writer at a time.
 */
export function claimExpiredLinks(
  db: Db,
  input: { now: string; at: string; limit: number },
): Promise<OnboardingLinkRow[]> {
  let due = db
    .selectFrom('onboarding_links')
    .select('id')
    .where('status', '=', 'pending')
    .where('expired_event_at', 'is', null)
    .where('expires_at', '<=', input.now)
    .orderBy('expires_at')
    .limit(input.limit)
  if (isPostgres(db)) due = due.forUpdate().skipLocked()
  return db
    .updateTable('onboarding_links')
    .set({ expired_event_at: input.at })
    .where('id', 'in', due)
    .where('status', '=', 'pending')
    .where('expired_event_at', 'is', null)
    .where('expires_at', '<=', input.now)
    .returningAll()
    .execute()
}

/**
 * Takes one of a pending link's `max` failed-event slots: a conditional increment, so
 * concurrent failures never take more than `max`. False when none is left (or not pending).
 */
export async function takeFailedEventSlot(
  db: Db,
  id: string,
  input: { max: number },
): Promise<boolean> {
  const result = await db
    .updateTable('onboarding_links')
    .set((eb) => ({ failed_events: eb('failed_events', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('failed_events', '<', input.max)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/**
 * Gives the scope's link a new expiry while it is not completed: pending again, its expiry
 * announcement and failed-event count cleared. Returns the row, or undefined when the link is
 * not the scope's or is completed (the status guard loses cleanly to a racing completion).
 */
export function renewLink(
  db: Db,
  scope: Scope,
  id: string,
  input: { expiresAt: string; at: string },
): Promise<OnboardingLinkRow | undefined> {
  return db
    .updateTable('onboarding_links')
    .set({
      status: 'pending',
      expires_at: input.expiresAt,
      expired_event_at: null,
      failed_events: 0,
      updated_at: input.at,
    })
    .where('id', '=', id)
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('status', '!=', 'completed')
    .returningAll()
    .executeTakeFirst()
}

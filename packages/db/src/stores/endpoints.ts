import { sql, type Updateable } from 'kysely'
import type { Db } from '../create-db'
import type {
  OutgoingWebhookRow,
  OutgoingWebhooksTable,
  WebhookAttemptRow,
  WebhookDeliveriesTable,
  WebhookDeliveryRow,
} from '../schema'
import { pageOwned } from './owned'
import type { Page, PageOf, Scope } from './scope'

// Endpoints (outgoing webhooks)

/** The scope's enabled endpoints, with what decides whether an event reaches them. */
export function enabledEndpoints(
  db: Db,
  scope: Scope,
): Promise<
  { id: string; events: string; waba_id: string | null; onboarding_link_id: string | null }[]
> {
  return db
    .selectFrom('outgoing_webhooks')
    .select(['id', 'events', 'waba_id', 'onboarding_link_id'])
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('enabled', '=', 1)
    .execute()
}

export async function insertEndpoint(db: Db, row: OutgoingWebhookRow): Promise<void> {
  await db.insertInto('outgoing_webhooks').values(row).execute()
}

/**
 * Inserts a link's own endpoint awaiting its WABA (`waba_id` null) unless the link has one
 * already (the partial unique index `outgoing_webhooks_one_awaiting_link`); returns its id.
 */
export async function insertAwaitingLinkEndpoint(
  db: Db,
  row: OutgoingWebhookRow & { onboarding_link_id: string; waba_id: null },
): Promise<string> {
  await db
    .insertInto('outgoing_webhooks')
    .values(row)
    .onConflict((oc) => oc.column('onboarding_link_id').where('waba_id', 'is', null).doNothing())
    .execute()
  const existing = await db
    .selectFrom('outgoing_webhooks')
    .select('id')
    .where('onboarding_link_id', '=', row.onboarding_link_id)
    .where('waba_id', 'is', null)
    .executeTakeFirstOrThrow()
  return existing.id
}

/** Deletes the link's endpoint awaiting a WABA (with its deliveries), if it has one. */
export async function deleteAwaitingLinkEndpoint(db: Db, linkId: string): Promise<void> {
  await db
    .deleteFrom('outgoing_webhooks')
    .where('onboarding_link_id', '=', linkId)
    .where('waba_id', 'is', null)
    .execute()
}

/** Scopes the link's endpoint awaiting a WABA to `wabaId`; its id, or undefined if none. */
export async function scopeAwaitingLinkEndpoint(
  db: Db,
  linkId: string,
  wabaId: string,
  at: string,
): Promise<string | undefined> {
  const row = await db
    .updateTable('outgoing_webhooks')
    .set({ waba_id: wabaId, updated_at: at })
    .where('onboarding_link_id', '=', linkId)
    .where('waba_id', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

export async function updateEndpoint(
  db: Db,
  id: string,
  changes: Updateable<OutgoingWebhooksTable>,
): Promise<void> {
  await db.updateTable('outgoing_webhooks').set(changes).where('id', '=', id).execute()
}

/** Deletes the endpoint; its deliveries and their attempts go with it (foreign keys). */
export async function deleteEndpoint(db: Db, id: string): Promise<void> {
  await db.deleteFrom('outgoing_webhooks').where('id', '=', id).execute()
}

// Deliveries and attempts

export function findOwnedDelivery(
  db: Db,
  scope: Scope,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDeliveryRow | undefined> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .where('endpoint_id', '=', endpointId)
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .executeTakeFirst()
}

/** A page of an endpoint's deliveries, newest first, optionally by status and event type. */
export function pageDeliveries(
  db: Db,
  scope: Scope,
  endpointId: string,
  page: Page,
  filters: { status?: WebhookDeliveryRow['status']; eventType?: string },
): Promise<PageOf<WebhookDeliveryRow>> {
  const conditions = [
    sql<boolean>`endpoint_id = ${endpointId}`,
    ...(filters.status ? [sql<boolean>`status = ${filters.status}`] : []),
    ...(filters.eventType ? [sql<boolean>`event_type = ${filters.eventType}`] : []),
  ]
  return pageOwned(db, 'webhook_deliveries', scope, page, conditions)
}

/** The attempts of these deliveries, in the order they were made. */
export function attemptsOf(db: Db, deliveryIds: readonly string[]): Promise<WebhookAttemptRow[]> {
  if (deliveryIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('id', 'asc')
    .execute()
}

export async function updateDelivery(
  db: Db,
  id: string,
  changes: Updateable<WebhookDeliveriesTable>,
): Promise<void> {
  await db.updateTable('webhook_deliveries').set(changes).where('id', '=', id).execute()
}

/** A delivery with its endpoint and its event: everything one attempt needs. */
export interface DeliveryWorkRow {
  id: string
  endpoint_id: string
  status: WebhookDeliveryRow['status']
  attempts: number
  manual_retry: number
  next_attempt_at: string | null
  url: string
  enabled: number
  disabled_message: string | null
  failing_since: string | null
  secret_enc: string
  previous_secret_enc: string | null
  previous_secret_expires_at: string | null
  payload: string
}

/** The work rows of these deliveries, in one query (ids with no delivery are absent). */
export function deliveryWorkRows(
  db: Db,
  deliveryIds: readonly string[],
): Promise<DeliveryWorkRow[]> {
  if (deliveryIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('outgoing_webhooks as w', 'w.id', 'd.endpoint_id')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.endpoint_id',
      'd.status',
      'd.attempts',
      'd.manual_retry',
      'd.next_attempt_at',
      'w.url',
      'w.enabled',
      'w.disabled_message',
      'w.failing_since',
      'w.secret_enc',
      'w.previous_secret_enc',
      'w.previous_secret_expires_at',
      'e.payload',
    ])
    .where('d.id', 'in', deliveryIds)
    .execute()
}

/** One attempt as it is recorded, with the delivery state it leads to. */
export interface AttemptRecord {
  deliveryId: string
  trigger: 'manual' | 'scheduled'
  attemptedAt: string
  httpStatus: number | null
  durationMs: number
  responseBody: string | null
  error: string | null
  /** The delivery after the attempt. */
  status: WebhookDeliveryRow['status']
  nextAttemptAt: string | null
  lastError: string | null
  deliveredAt: string | null
  at: string
}

/** Most rows one statement names: well under either database's limit on parameters. */
const ROWS_PER_STATEMENT = 500

/**
 * Records attempts (one worker batch): counts each on its delivery (an increment in SQL,
 * so attempts recorded concurrently are all counted), sets the delivery's new state and
 * adds the attempt rows. Set-based, so a batch costs a few statements rather than two per
 * attempt: one UPDATE per distinct new state (in a batch of successes they all share one),
 * then one INSERT for the attempt rows. A delivery attempted twice in one batch is counted
 * twice: its second attempt goes in a later UPDATE. One flag per attempt, in order: false
 * when the delivery no longer exists (its endpoint was deleted) and nothing was recorded.
 */
export async function recordAttempts(
  db: Db,
  attempts: readonly AttemptRecord[],
): Promise<boolean[]> {
  const groups = new Map<string, number[]>()
  const seen = new Map<string, number>()
  for (const [index, attempt] of attempts.entries()) {
    const round = seen.get(attempt.deliveryId) ?? 0
    seen.set(attempt.deliveryId, round + 1)
    const key = JSON.stringify([
      round,
      attempt.status,
      attempt.nextAttemptAt,
      attempt.lastError,
      attempt.deliveredAt,
      attempt.at,
    ])
    const group = groups.get(key)
    if (group) group.push(index)
    else groups.set(key, [index])
  }
  const recorded = attempts.map(() => false)
  for (const indexes of groups.values()) {
    for (const part of chunks(indexes, ROWS_PER_STATEMENT)) {
      const state = attempts[part[0] as number] as AttemptRecord
      const updated = await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          status: state.status,
          manual_retry: 0,
          next_attempt_at: state.nextAttemptAt,
          last_error: state.lastError,
          delivered_at: state.deliveredAt,
          updated_at: state.at,
        }))
        .where(
          'id',
          'in',
          part.map((index) => (attempts[index] as AttemptRecord).deliveryId),
        )
        .returning('id')
        .execute()
      const ids = new Set(updated.map((row) => row.id))
      for (const index of part) {
        if (ids.has((attempts[index] as AttemptRecord).deliveryId)) recorded[index] = true
      }
    }
  }
  const rows = attempts
    .filter((_, index) => recorded[index])
    .map((attempt) => ({
      delivery_id: attempt.deliveryId,
      trigger: attempt.trigger,
      attempted_at: attempt.attemptedAt,
      http_status: attempt.httpStatus,
      duration_ms: attempt.durationMs,
      response_body: attempt.responseBody,
      error: attempt.error,
    }))
  for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
    await db.insertInto('webhook_attempts').values(part).execute()
  }
  return recorded
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = []
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size))
  return parts
}

/** Fails a still-pending delivery without an attempt (its endpoint is disabled). */
export async function failPendingDelivery(
  db: Db,
  id: string,
  input: { lastError: string; at: string },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: 'failed',
      manual_retry: 0,
      next_attempt_at: null,
      last_error: input.lastError,
      updated_at: input.at,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()
}

/**
 * Pending deliveries due before `dueBefore`, oldest first, after the `after` cursor. The
 * literal `'pending'` lets SQLite use the partial index.
 */
export function overdueDeliveries(
  db: Db,
  options: { dueBefore: string; limit: number; after?: { nextAttemptAt: string; id: string } },
): Promise<{ id: string; next_attempt_at: string | null }[]> {
  let query = db
    .selectFrom('webhook_deliveries')
    .select(['id', 'next_attempt_at'])
    .where(sql<boolean>`status = 'pending'`)
    .where('next_attempt_at', '<=', options.dueBefore)
  const after = options.after
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('next_attempt_at', '>', after.nextAttemptAt),
        eb.and([eb('next_attempt_at', '=', after.nextAttemptAt), eb('id', '>', after.id)]),
      ]),
    )
  }
  return query.orderBy('next_attempt_at', 'asc').orderBy('id', 'asc').limit(options.limit).execute()
}

import type { Db } from '@onboard/db'
import { nextRetry, type SendResult } from '@onboard/webhooks'
import { sql } from 'kysely'
import type { CoreContext } from '../context'
import { decryptEndpointSecret } from './secret-cache'

/** Everything one attempt needs, read in one query when the job runs. */
export interface DeliveryWork {
  deliveryId: string
  endpointId: string
  status: 'pending' | 'delivered' | 'failed'
  /** Attempts made so far. */
  attempts: number
  /** A person's replay: one attempt, not on the schedule. */
  manual: boolean
  /** When the attempt is due; a job that runs early (a duplicate) waits until then. */
  nextAttemptAt: string | null
  url: string
  endpointEnabled: boolean
  endpointDisabledMessage: string | null
  failingSince: string | null
  /** The current secret, then the previous one while its grace period lasts. */
  secrets: string[]
  /** The exact body to sign and send. */
  payload: string
}

interface DeliveryWorkRow {
  id: string
  endpoint_id: string
  status: DeliveryWork['status']
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

/**
 * The delivery, its endpoint and its event for each id, in one query for the lot (the
 * worker reads the jobs that start together at once); `null` for an id with no delivery.
 */
export async function loadDeliveryWorks(
  ctx: CoreContext,
  deliveryIds: readonly string[],
): Promise<(DeliveryWork | null)[]> {
  if (deliveryIds.length === 0) return []
  const rows: DeliveryWorkRow[] = await ctx.db
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
  const now = ctx.now().toISOString()
  const byId = new Map<string, DeliveryWork>()
  for (const row of rows) {
    const secrets = [decryptEndpointSecret(ctx.keyring, row.secret_enc)]
    if (
      row.previous_secret_enc !== null &&
      row.previous_secret_expires_at !== null &&
      row.previous_secret_expires_at > now
    ) {
      secrets.push(decryptEndpointSecret(ctx.keyring, row.previous_secret_enc))
    }
    byId.set(row.id, {
      deliveryId: row.id,
      endpointId: row.endpoint_id,
      status: row.status,
      attempts: row.attempts,
      manual: row.manual_retry === 1,
      nextAttemptAt: row.next_attempt_at,
      url: row.url,
      endpointEnabled: row.enabled === 1,
      endpointDisabledMessage: row.disabled_message,
      failingSince: row.failing_since,
      secrets,
      payload: row.payload,
    })
  }
  return deliveryIds.map((id) => byId.get(id) ?? null)
}

export async function loadDeliveryWork(
  ctx: CoreContext,
  deliveryId: string,
): Promise<DeliveryWork | null> {
  const [work] = await loadDeliveryWorks(ctx, [deliveryId])
  return work ?? null
}

export interface DeliveryPolicy {
  retryDelaysMs: readonly number[]
  disableAfterMs: number
  random?: () => number
}

export type SettledAttempt =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'failed' }
  | { kind: 'endpoint_disabled'; message: string }
  /** The delivery vanished meanwhile (its endpoint was deleted): nothing was recorded. */
  | { kind: 'gone' }

/** One finished attempt, waiting to be recorded. */
export interface AttemptToSettle {
  work: DeliveryWork
  result: SendResult
  attemptedAt: Date
}

/**
 * Records one attempt and decides what follows, in one short transaction: 2xx delivers;
 * 410 disables the endpoint; a failure retries on the schedule unless it was the last
 * attempt, a replay, or an SSRF refusal; and an endpoint whose attempts have all failed for
 * `disableAfterMs` is disabled, saying why.
 */
export async function settleAttempt(
  ctx: CoreContext,
  work: DeliveryWork,
  result: SendResult,
  policy: DeliveryPolicy,
  attemptedAt: Date,
): Promise<SettledAttempt> {
  const [settled] = await settleAttempts(ctx, [{ work, result, attemptedAt }], policy)
  if (!settled) throw new Error('settleAttempts returned no outcome')
  return settled
}

/**
 * Records many attempts, each as `settleAttempt` would, in one transaction: one commit for
 * the lot (group commit), which costs about as much as the commit of one. All or nothing:
 * if the transaction fails, none is recorded and the promise rejects. Outcomes are in the
 * order of `attempts`.
 */
export async function settleAttempts(
  ctx: CoreContext,
  attempts: readonly AttemptToSettle[],
  policy: DeliveryPolicy,
): Promise<SettledAttempt[]> {
  if (attempts.length === 0) return []
  const now = ctx.now()
  const planned = attempts.map((attempt) => ({
    attempt,
    plan: planAfterAttempt(attempt.work, attempt.result, policy, attempt.attemptedAt, now),
  }))
  return ctx.db.transaction().execute(async (trx) => {
    const settled: SettledAttempt[] = []
    for (const { attempt, plan } of planned)
      settled.push(await recordAttempt(trx, attempt, plan, now))
    return settled
  })
}

async function recordAttempt(
  trx: Db,
  { work, result, attemptedAt }: AttemptToSettle,
  plan: AttemptPlan,
  now: Date,
): Promise<SettledAttempt> {
  const at = now.toISOString()
  // `returning` tells a delivery that vanished meanwhile (its endpoint was deleted).
  const updated = await trx
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      status: plan.status,
      manual_retry: 0,
      next_attempt_at: plan.nextAttemptAt,
      last_error: plan.lastError,
      delivered_at: plan.status === 'delivered' ? at : null,
      updated_at: at,
    }))
    .where('id', '=', work.deliveryId)
    .returning('id')
    .execute()
  if (updated.length === 0) return { kind: 'gone' }
  await trx
    .insertInto('webhook_attempts')
    .values({
      delivery_id: work.deliveryId,
      trigger: work.manual ? 'manual' : 'scheduled',
      attempted_at: attemptedAt.toISOString(),
      http_status: result.httpStatus,
      duration_ms: result.durationMs,
      response_body: result.responseBody,
      error: result.error,
    })
    .execute()
  if (plan.endpoint) {
    await trx
      .updateTable('outgoing_webhooks')
      .set({ ...plan.endpoint, updated_at: at })
      .where('id', '=', work.endpointId)
      .execute()
  }
  return plan.settled
}

interface AttemptPlan {
  status: 'pending' | 'delivered' | 'failed'
  nextAttemptAt: string | null
  lastError: string | null
  endpoint: Record<string, string | number | null> | null
  settled: SettledAttempt
}

function planAfterAttempt(
  work: DeliveryWork,
  result: SendResult,
  policy: DeliveryPolicy,
  attemptedAt: Date,
  now: Date,
): AttemptPlan {
  const at = now.toISOString()
  if (result.ok) {
    return {
      status: 'delivered',
      nextAttemptAt: null,
      lastError: null,
      endpoint: work.failingSince === null ? null : { failing_since: null },
      settled: { kind: 'delivered' },
    }
  }
  if (result.httpStatus === 410) {
    const message = `The endpoint answered 410 Gone at ${at}; re-enable it with PATCH {"enabled": true} once it accepts webhooks again.`
    return disable(result, 'gone', message, at)
  }
  const failingSince = work.failingSince ?? attemptedAt.toISOString()
  if (now.getTime() - Date.parse(failingSince) >= policy.disableAfterMs) {
    const message = `Every delivery attempt failed from ${failingSince} to ${at}; re-enable it with PATCH {"enabled": true} once it accepts webhooks again.`
    return disable(result, 'failing', message, at)
  }
  const endpoint = work.failingSince === null ? { failing_since: failingSince } : null
  const decision =
    work.manual || result.permanent
      ? { final: true, delayMs: 0 }
      : nextRetry({
          attempt: work.attempts + 1,
          delaysMs: policy.retryDelaysMs,
          httpStatus: result.httpStatus,
          retryAfterMs: result.retryAfterMs,
          random: policy.random,
        })
  if (decision.final) {
    return {
      status: 'failed',
      nextAttemptAt: null,
      lastError: result.error,
      endpoint,
      settled: { kind: 'failed' },
    }
  }
  return {
    status: 'pending',
    nextAttemptAt: new Date(now.getTime() + decision.delayMs).toISOString(),
    lastError: result.error,
    endpoint,
    settled: { kind: 'retry', delayMs: decision.delayMs },
  }
}

function disable(
  result: SendResult,
  reason: 'gone' | 'failing',
  message: string,
  at: string,
): AttemptPlan {
  return {
    status: 'failed',
    nextAttemptAt: null,
    lastError: result.error,
    endpoint: {
      enabled: 0,
      disabled_reason: reason,
      disabled_message: message,
      disabled_at: at,
    },
    settled: { kind: 'endpoint_disabled', message },
  }
}

/** A pending delivery whose endpoint was disabled meanwhile fails without being sent. */
export async function failDeliveryOfDisabledEndpoint(
  ctx: CoreContext,
  work: DeliveryWork,
): Promise<void> {
  const at = ctx.now().toISOString()
  await ctx.db
    .updateTable('webhook_deliveries')
    .set({
      status: 'failed',
      manual_retry: 0,
      next_attempt_at: null,
      last_error:
        `Not sent: the endpoint is disabled. ${work.endpointDisabledMessage ?? ''}`.trim(),
      updated_at: at,
    })
    .where('id', '=', work.deliveryId)
    .where('status', '=', 'pending')
    .execute()
}

export interface OverdueDelivery {
  id: string
  nextAttemptAt: string
}

/**
 * Pending deliveries due before `dueBefore`, oldest first, after the `after` cursor: what
 * the relay re-enqueues in case their job never reached Redis or was lost with it. The
 * literal `'pending'` lets SQLite use the partial index.
 */
export async function findOverdueDeliveries(
  ctx: CoreContext,
  options: { dueBefore: Date; limit: number; after?: OverdueDelivery },
): Promise<OverdueDelivery[]> {
  let query = ctx.db
    .selectFrom('webhook_deliveries')
    .select(['id', 'next_attempt_at'])
    .where(sql<boolean>`status = 'pending'`)
    .where('next_attempt_at', '<=', options.dueBefore.toISOString())
  const after = options.after
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('next_attempt_at', '>', after.nextAttemptAt),
        eb.and([eb('next_attempt_at', '=', after.nextAttemptAt), eb('id', '>', after.id)]),
      ]),
    )
  }
  const rows = await query
    .orderBy('next_attempt_at', 'asc')
    .orderBy('id', 'asc')
    .limit(options.limit)
    .execute()
  return rows.map((row) => ({ id: row.id, nextAttemptAt: row.next_attempt_at ?? '' }))
}

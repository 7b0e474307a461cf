import { endpointsStore } from '@onboard/db'
import { nextRetry, type SendResult } from '@onboard/webhooks'
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

/**
 * The delivery, its endpoint and its event for each id, in one query for the lot (the
 * worker reads the jobs that start together at once); `null` for an id with no delivery.
 */
export async function loadDeliveryWorks(
  ctx: CoreContext,
  deliveryIds: readonly string[],
): Promise<(DeliveryWork | null)[]> {
  if (deliveryIds.length === 0) return []
  const rows = await endpointsStore.deliveryWorkRows(ctx.db, deliveryIds)
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
 * the lot (group commit), which costs about as much as the commit of one, and a few
 * set-based statements rather than two per attempt (each is a round trip on PostgreSQL,
 * and a compile and prepare in Kysely on either database). All or nothing:
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
  const at = now.toISOString()
  return ctx.db.transaction().execute(async (trx) => {
    const recorded = await endpointsStore.recordAttempts(
      trx,
      planned.map(({ attempt: { work, result, attemptedAt }, plan }) => ({
        deliveryId: work.deliveryId,
        trigger: work.manual ? 'manual' : 'scheduled',
        attemptedAt: attemptedAt.toISOString(),
        httpStatus: result.httpStatus,
        durationMs: result.durationMs,
        responseBody: result.responseBody,
        error: result.error,
        status: plan.status,
        nextAttemptAt: plan.nextAttemptAt,
        lastError: plan.lastError,
        deliveredAt: plan.status === 'delivered' ? at : null,
        at,
      })),
    )
    const settled: SettledAttempt[] = []
    for (const [index, { attempt, plan }] of planned.entries()) {
      // The delivery vanished meanwhile (its endpoint was deleted).
      if (!recorded[index]) {
        settled.push({ kind: 'gone' })
        continue
      }
      if (plan.endpoint) {
        await endpointsStore.updateEndpoint(trx, attempt.work.endpointId, {
          ...plan.endpoint,
          updated_at: at,
        })
      }
      settled.push(plan.settled)
    }
    return settled
  })
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
  await endpointsStore.failPendingDelivery(ctx.db, work.deliveryId, {
    lastError: `Not sent: the endpoint is disabled. ${work.endpointDisabledMessage ?? ''}`.trim(),
    at,
  })
}

export interface OverdueDelivery {
  id: string
  nextAttemptAt: string
}

/**
 * Pending deliveries due before `dueBefore`, oldest first, after the `after` cursor: what
 * the relay re-enqueues in case their job never reached Redis or was lost with it.
 */
export async function findOverdueDeliveries(
  ctx: CoreContext,
  options: { dueBefore: Date; limit: number; after?: OverdueDelivery },
): Promise<OverdueDelivery[]> {
  const rows = await endpointsStore.overdueDeliveries(ctx.db, {
    dueBefore: options.dueBefore.toISOString(),
    limit: options.limit,
    after: options.after,
  })
  return rows.map((row) => ({ id: row.id, nextAttemptAt: row.next_attempt_at ?? '' }))
}

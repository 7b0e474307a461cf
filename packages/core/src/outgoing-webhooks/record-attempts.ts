import { endpointsStore } from '@onboard/db'
import type { SendResult } from '@onboard/webhooks'
import type { CoreContext } from '../context'
import { type DeliveryPolicy, planAfterAttempt, type SettledAttempt } from './attempt-plan'
import type { DeliveryWork } from './load-work'

/** One finished attempt, waiting to be recorded. */
export interface AttemptToSettle {
  work: DeliveryWork
  result: SendResult
  attemptedAt: Date
}

/**
 * Records one attempt and what follows it (`planAfterAttempt`: retry, fail, or disable the
 * endpoint) in one short transaction.
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

import { nextRetry, type SendResult } from '@onboard/webhooks'
import type { DeliveryWork } from './load-work'

/** How an attempt ends for the worker (and its metrics). */
export type SettledAttempt =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'failed' }
  | { kind: 'endpoint_disabled'; message: string }
  /** The delivery vanished meanwhile (its endpoint was deleted): nothing was recorded. */
  | { kind: 'gone' }

export interface DeliveryPolicy {
  retryDelaysMs: readonly number[]
  disableAfterMs: number
  random?: () => number
}

/** What one attempt's outcome means for its delivery and, when it disables it, its endpoint. */
export interface AttemptPlan {
  status: 'pending' | 'delivered' | 'failed'
  nextAttemptAt: string | null
  lastError: string | null
  endpoint: Record<string, string | number | null> | null
  settled: SettledAttempt
}

/**
 * The retry policy: 2xx delivers; 410 disables the endpoint; a failure retries on the
 * schedule unless it was the last attempt, a replay, or an SSRF refusal; and an endpoint
 * whose attempts have all failed for `disableAfterMs` is disabled, saying why.
 */
export function planAfterAttempt(
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

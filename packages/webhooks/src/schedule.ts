/** Statuses that mean "slow down": their Retry-After, when present, sets the next delay. */
const THROTTLE_STATUSES = new Set([429, 502, 503, 504])

/** A receiver cannot push a retry further out than this, whatever its Retry-After says. */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000

const JITTER = 0.2

/** `ms` ± 20 %, so endpoints that failed together do not all come back together. */
export function withJitter(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (1 - JITTER + 2 * JITTER * random()))
}

/** `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date; null if absent or bad. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  if (Number.isNaN(at)) return null
  return Math.max(0, at - now.getTime())
}

export interface RetryDecision {
  /** True when this was the last attempt the schedule allows. */
  final: boolean
  delayMs: number
}

/**
 * What to do after failed attempt number `attempt` (1-based). `delaysMs` are the gaps between
 * attempts, so there are `delaysMs.length + 1` attempts in all. A Retry-After on a throttling
 * status is honoured: the next attempt is never earlier than it asks (capped at a day), and
 * never earlier than the jittered schedule either.
 */
export function nextRetry(input: {
  attempt: number
  delaysMs: readonly number[]
  httpStatus: number | null
  retryAfterMs: number | null
  random?: () => number
}): RetryDecision {
  const base = input.delaysMs[input.attempt - 1]
  if (base === undefined) return { final: true, delayMs: 0 }
  const scheduled = withJitter(base, input.random)
  const throttled = input.httpStatus !== null && THROTTLE_STATUSES.has(input.httpStatus)
  if (!throttled || input.retryAfterMs === null) return { final: false, delayMs: scheduled }
  return {
    final: false,
    delayMs: Math.max(scheduled, Math.min(input.retryAfterMs, MAX_RETRY_AFTER_MS)),
  }
}

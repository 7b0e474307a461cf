import type { SendResult } from '@onboard/webhooks'

/** A POST the receiver answered 200. */
export const ok: SendResult = {
  ok: true,
  httpStatus: 200,
  durationMs: 3,
  responseBody: 'ok',
  error: null,
  retryAfterMs: null,
  permanent: false,
}

/** A POST that failed with this status (null: no answer). */
export const failed = (httpStatus: number | null, error = `HTTP ${httpStatus}`): SendResult => ({
  ...ok,
  ok: false,
  httpStatus,
  error,
})

/** Two retries, auto-disable after five days, no jitter. */
export const policy = {
  retryDelaysMs: [1000, 2000],
  disableAfterMs: 5 * 86_400_000,
  random: () => 0.5,
}

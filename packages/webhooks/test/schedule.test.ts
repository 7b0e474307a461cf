import { describe, expect, it } from 'vitest'
import { MAX_RETRY_AFTER_MS, nextRetry, parseRetryAfter, withJitter } from '../src/index'

const delays = [5000, 300_000, 1_800_000]

describe('retry schedule', () => {
  it('follows the schedule within ±20 % and ends after the last delay', () => {
    for (const [index, base] of delays.entries()) {
      const low = nextRetry({
        attempt: index + 1,
        delaysMs: delays,
        httpStatus: 500,
        retryAfterMs: null,
        random: () => 0,
      })
      const high = nextRetry({
        attempt: index + 1,
        delaysMs: delays,
        httpStatus: 500,
        retryAfterMs: null,
        random: () => 1,
      })
      expect(low).toEqual({ final: false, delayMs: base * 0.8 })
      expect(high).toEqual({ final: false, delayMs: base * 1.2 })
    }
    expect(
      nextRetry({ attempt: 4, delaysMs: delays, httpStatus: 500, retryAfterMs: null }).final,
    ).toBe(true)
  })

  it('jitters around the base', () => {
    for (let i = 0; i < 100; i++) {
      const ms = withJitter(1000)
      expect(ms).toBeGreaterThanOrEqual(800)
      expect(ms).toBeLessThanOrEqual(1200)
    }
  })

  it('honours Retry-After on 429/502/503/504 only, never earlier than the schedule, at most a day', () => {
    const at = (httpStatus: number, retryAfterMs: number) =>
      nextRetry({ attempt: 1, delaysMs: delays, httpStatus, retryAfterMs, random: () => 0.5 })
        .delayMs
    expect(at(429, 60_000)).toBe(60_000)
    expect(at(503, 60_000)).toBe(60_000)
    expect(at(500, 60_000)).toBe(5000)
    expect(at(429, 1000)).toBe(5000)
    expect(at(502, 10 * MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS)
  })

  it('parses Retry-After seconds and HTTP dates', () => {
    const now = new Date('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000)
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeNull()
    expect(parseRetryAfter(undefined, now)).toBeNull()
  })
})

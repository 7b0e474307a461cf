import { parseDuration } from '@onboard/core'

/**
 * Worker-only settings, on top of the shared configuration (`loadConfig`, which also holds
 * the queue prefix every process shares):
 *
 * | variable | default | meaning |
 * | `WEBHOOK_WORKER_CONCURRENCY` | 50 | deliveries in flight per worker process |
 * | `WEBHOOK_RELAY_INTERVAL` | 5s | how often the outbox relay looks for lost jobs |
 * | `WEBHOOK_WORKER_LOCK_DURATION` | 30s | test-oriented: BullMQ job lock |
 * | `WEBHOOK_WORKER_STALLED_INTERVAL` | 30s | test-oriented: BullMQ stalled-job check |
 *
 * A killed worker's job is picked up after the lock expires and a stalled check runs, so
 * tests shorten those two; BullMQ's 30 s defaults suit production.
 */
/**
 * How long a stopping worker may drain: a delivery lasts at most WEBHOOK_TIMEOUT, plus a margin
 * for recording its outcome and closing. Past that, something is stuck. The supervisor
 * (scripts/run-service.ts) waits longer than this before it kills the worker.
 */
export function workerDrainDeadlineMs(webhookTimeoutMs: number): number {
  return webhookTimeoutMs + 10_000
}

export interface WorkerSettings {
  concurrency: number
  lockDurationMs: number
  stalledIntervalMs: number
  relayIntervalMs: number
}

export type SettingsResult = { ok: true; settings: WorkerSettings } | { ok: false; message: string }

class InvalidSetting extends Error {}

export function loadWorkerSettings(env: Record<string, string | undefined>): SettingsResult {
  try {
    return {
      ok: true,
      settings: {
        concurrency: integer(env, 'WEBHOOK_WORKER_CONCURRENCY', 50, 1, 1000),
        lockDurationMs: duration(env, 'WEBHOOK_WORKER_LOCK_DURATION', '30s'),
        stalledIntervalMs: duration(env, 'WEBHOOK_WORKER_STALLED_INTERVAL', '30s'),
        relayIntervalMs: duration(env, 'WEBHOOK_RELAY_INTERVAL', '5s'),
      },
    }
  } catch (error) {
    if (!(error instanceof InvalidSetting)) throw error
    return { ok: false, message: `Invalid configuration: ${error.message}` }
  }
}

function integer(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = env[name]?.trim()
  if (!text) return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidSetting(`${name} must be a whole number from ${min} to ${max} (got "${text}")`)
  }
  return value
}

function duration(env: Record<string, string | undefined>, name: string, fallback: string): number {
  const text = env[name]?.trim() || fallback
  const ms = parseDuration(text)
  if (ms === null || ms <= 0) {
    throw new InvalidSetting(`${name} must look like 500ms, 5s or 1m (got "${text}")`)
  }
  return ms
}

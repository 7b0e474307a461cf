import type { Config, CoreContext } from '@onboard/core'
import {
  DELIVERY_QUEUE,
  deliveryJobSchema,
  isRedisConnectionError,
  type OutageReporter,
  type RedisWorkQueue,
} from '@onboard/queue'
import { createWebhookAgent } from '@onboard/webhooks'
import { DelayedError, type Job, Worker, type WorkerOptions } from 'bullmq'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { createAttemptRunner } from './attempt-runner'
import { createWorkerMetrics, type WorkerMetrics } from './metrics'
import { startRelay } from './relay'
import type { WorkerSettings } from './settings'

export interface WebhookWorker {
  /** Stops taking jobs, waits for the deliveries in flight, then releases everything. */
  close: () => Promise<void>
}

/**
 * The BullMQ worker, the outbox relay and the one undici Agent of this process. Retries
 * are not BullMQ attempts: after a failed attempt the job moves itself to delayed until
 * the time the database recorded, so the database stays the one record of the schedule.
 * `queue` is the process's WorkQueue (the one in `core`): the relay adds over its
 * connection, and Redis outages are reported through its one reporter.
 */
export function startWebhookWorker(options: {
  core: CoreContext
  config: Config
  settings: WorkerSettings
  logger: Logger
  queue: RedisWorkQueue
  metrics?: WorkerMetrics
}): WebhookWorker {
  const { config, settings, logger } = options
  const metrics = options.metrics ?? createWorkerMetrics()
  const agent = createWebhookAgent({
    timeoutMs: config.webhooks.timeoutMs,
    allowPrivateTargets: config.webhooks.allowPrivateTargets,
  })
  const runAttempt = createAttemptRunner({
    core: options.core,
    agent,
    retryDelaysMs: config.webhooks.retryDelaysMs,
    disableAfterMs: config.webhooks.disableAfterMs,
    timeoutMs: config.webhooks.timeoutMs,
  })
  const connection = new Redis(config.redisUrl, {
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 500, 5000),
  })
  const outage = workerErrors(logger, options.queue.outage, connection)
  connection.on('error', outage)
  connection.on('ready', () => options.queue.outage.up(connection))

  const worker = new Worker(
    DELIVERY_QUEUE,
    deliveryProcessor(runAttempt, metrics, logger),
    workerOptions(config, settings, connection),
  )
  worker.on('error', outage)
  worker.on('failed', (job, error) => {
    logger.error({ jobId: job?.id, err: error }, 'a delivery job crashed; the relay will retry it')
  })

  const relay = startRelay({
    core: options.core,
    queue: options.queue.deliveryQueue,
    logger,
    intervalMs: settings.relayIntervalMs,
    metrics,
  })

  let closing: Promise<void> | undefined
  const close = async () => {
    await relay.stop()
    // Draining needs Redis to mark jobs done; without it, jobs in flight are left to the
    // stalled-job check and the relay, and waiting for Redis would only hang the shutdown.
    await worker.close(connection.status !== 'ready')
    connection.disconnect()
    await agent.close()
  }
  return {
    close: () => {
      closing ??= close()
      return closing
    },
  }
}

/**
 * One delivery job: one attempt, counted and logged. A retry or an early job moves itself
 * to delayed until the time the attempt runner gives (BullMQ's own retries are not used).
 */
function deliveryProcessor(
  runAttempt: ReturnType<typeof createAttemptRunner>,
  metrics: WorkerMetrics,
  logger: Logger,
) {
  return async (job: Job, token?: string) => {
    const parsed = deliveryJobSchema.safeParse(job.data)
    if (!parsed.success) {
      logger.warn({ jobId: job.id }, 'ignoring a delivery job without a valid deliveryId')
      return
    }
    const outcome = await runAttempt(parsed.data.deliveryId)
    metrics.deliveries.inc({ outcome: outcome.kind })
    logOutcome(logger, parsed.data.deliveryId, outcome)
    if (outcome.kind === 'retry' || outcome.kind === 'not_due') {
      await job.moveToDelayed(Date.now() + outcome.delayMs, token)
      throw new DelayedError()
    }
  }
}

function workerOptions(config: Config, settings: WorkerSettings, connection: Redis): WorkerOptions {
  return {
    connection,
    prefix: config.webhooks.queuePrefix,
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: 2,
    // After Redis comes back, fetch again within a second instead of BullMQ's 15 s.
    runRetryDelay: 1000,
    removeOnComplete: { count: 0 },
    removeOnFail: { count: 0 },
  }
}

/** Connection failures are the process's outage (one line); anything else is worth its stack. */
export function workerErrors(logger: Logger, outage: OutageReporter, connection: object) {
  return (error: Error & { code?: string }) => {
    if (isRedisConnectionError(error)) outage.down(error, connection)
    else logger.error({ err: error }, 'webhook worker error')
  }
}

function logOutcome(logger: Logger, deliveryId: string, outcome: { kind: string }) {
  if (outcome.kind === 'delivered') logger.debug({ deliveryId }, 'delivered')
  else if (outcome.kind === 'endpoint_disabled')
    logger.warn({ deliveryId, ...outcome }, 'endpoint disabled')
  else if (outcome.kind === 'retry' || outcome.kind === 'failed')
    logger.info({ deliveryId, ...outcome }, 'delivery attempt failed')
}

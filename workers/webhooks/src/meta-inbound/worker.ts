import type { Config, CoreContext, MetaApps } from '@onboard/core'
import { META_RECEIPT_QUEUE, metaReceiptJobSchema, type RedisWorkQueue } from '@onboard/queue'
import { type Job, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { WorkerMetrics } from '../metrics'
import type { WorkerSettings } from '../settings'
import { workerErrors } from '../worker'
import { createReceiptProcessor } from './processor'
import { completeSignupsOnInstall, startSignupSweeper } from './signups'
import { startSweeper } from './sweeper'

/** A receipt is one short SQLite transaction; closing never needs longer than this. */
const CLOSE_TIMEOUT_MS = 5000

export interface MetaInboundWorker {
  close: () => Promise<void>
}

/**
 * Turns Meta's stored webhook receipts into events: a BullMQ worker for the jobs the API
 * enqueues, and a sweeper for receipts whose job never arrived. Few at a time: each is one
 * SQLite write transaction, and SQLite has one writer.
 */
export function startMetaInboundWorker(options: {
  core: CoreContext
  config: Config
  settings: WorkerSettings
  logger: Logger
  /** The process's WorkQueue: its outage reporter covers this worker's connection too. */
  queue: RedisWorkQueue
  /** What completes a sign-up from Meta's install when its page never called back. */
  metaApps: MetaApps
  metrics?: WorkerMetrics
}): MetaInboundWorker {
  const { config, settings } = options
  const logger = options.logger.child({ component: 'meta-inbound' })
  const signups = { core: options.core, metaApps: options.metaApps, logger }
  const process = createReceiptProcessor({
    core: options.core,
    logger,
    metrics: options.metrics,
    onInstalls: completeSignupsOnInstall(signups),
  })

  const connection = new Redis(config.redisUrl, {
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 500, 5000),
  })
  const outage = workerErrors(logger, options.queue.outage, connection)
  connection.on('error', outage)
  connection.on('ready', () => options.queue.outage.up(connection))
  const worker = new Worker(
    META_RECEIPT_QUEUE,
    async (job: Job) => {
      const parsed = metaReceiptJobSchema.safeParse(job.data)
      if (!parsed.success) {
        logger.warn({ jobId: job.id }, 'ignoring a receipt job without a valid receiptId')
        return
      }
      await process(parsed.data.receiptId)
    },
    {
      connection,
      prefix: config.webhooks.queuePrefix,
      concurrency: 4,
      lockDuration: settings.lockDurationMs,
      stalledInterval: settings.stalledIntervalMs,
      // As for deliveries: resume within a second of Redis returning, not BullMQ's 15 s.
      runRetryDelay: 1000,
      removeOnComplete: { count: 0 },
      removeOnFail: { count: 0 },
    },
  )
  worker.on('error', outage)
  const sweeper = startSweeper({
    core: options.core,
    process,
    logger,
    intervalMs: settings.relayIntervalMs,
  })
  const signupSweeper = startSignupSweeper({ ...signups, intervalMs: settings.relayIntervalMs })

  return {
    close: async () => {
      await sweeper.stop()
      await signupSweeper.stop()
      // BullMQ's close waits for a connection that may never come back: drop it first if down.
      if (connection.status !== 'ready') connection.disconnect()
      await bounded(worker.close(), CLOSE_TIMEOUT_MS)
      connection.disconnect()
    },
  }
}

function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise.then(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

import type { Config, CoreContext } from '@onboard/core'
import type { RedisWorkQueue } from '@onboard/queue'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { startLinkExpiry } from './link-expiry'
import { workerMetaApps } from './meta-apps'
import { startMetaInboundWorker } from './meta-inbound/index'
import { createWorkerMetrics, registerQueueDepths } from './metrics'
import { startRetention } from './retention'
import type { WorkerSettings } from './settings'
import { startWebhookWorker } from './worker'

export interface WorkerRole {
  /** Stops taking work and drains what is in flight; the caller closes the database. */
  close: () => Promise<void>
}

/**
 * The worker role: outgoing deliveries (with the outbox relay), Meta's inbound receipts,
 * retention, links' expiry events, and their metrics in `registry`. workers/webhooks/src/main.ts runs it alone;
 * scripts/all-in-one.ts beside the API role.
 */
export function startWorkerRole(options: {
  config: Config
  settings: WorkerSettings
  core: CoreContext
  /** The process's queue: the relay adds over it, and its outage reporter covers the workers. */
  queue: RedisWorkQueue
  logger: Logger
  registry: Registry
}): WorkerRole {
  const { config, settings, core, logger, queue } = options
  const metrics = createWorkerMetrics(options.registry)
  registerQueueDepths(options.registry, queue)
  const worker = startWebhookWorker({ core, config, settings, logger, queue, metrics })
  // Meta's inbound webhooks: stored receipts → message.* / phone_number.disconnected events.
  const metaApps = workerMetaApps(config, core)
  const metaInbound = startMetaInboundWorker({
    core,
    config,
    settings,
    logger,
    queue,
    metaApps,
    metrics,
  })
  // Old Meta receipts and expired idempotency records; once a minute is plenty for both.
  const retention = startRetention({ core, config, logger, intervalMs: 60_000 })
  // onboarding_link.expired for links past their expiry; within 15 s of it is soon enough.
  const linkExpiry = startLinkExpiry({ core, logger, intervalMs: 15_000 })
  logger.info(
    {
      concurrency: settings.concurrency,
      retryDelaysMs: config.webhooks.retryDelaysMs,
      allowPrivateTargets: config.webhooks.allowPrivateTargets,
    },
    'webhook worker started',
  )
  return {
    close: async () => {
      await retention.stop()
      await linkExpiry.stop()
      await worker.close()
      await metaInbound.close()
    },
  }
}

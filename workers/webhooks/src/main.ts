import { loadConfig, openCore } from '@onboard/core'
import { createWorkQueue } from '@onboard/queue'
import { pino } from 'pino'
import { startMetaInboundWorker } from './meta-inbound/index'
import { startRetention } from './retention'
import { loadWorkerSettings, workerDrainDeadlineMs } from './settings'
import { startWebhookWorker } from './worker'

// Entry: node --import tsx workers/webhooks/src/main.ts
const loaded = loadConfig(process.env)
const loadedSettings = loadWorkerSettings(process.env)
if (!loaded.ok || !loadedSettings.ok) {
  process.stderr.write(
    `${loaded.ok ? (loadedSettings.ok ? '' : loadedSettings.message) : loaded.message}\n`,
  )
  process.exit(1)
}
const { config } = loaded
const { settings } = loadedSettings
const logger = pino({ level: config.logLevel, base: { service: 'worker-webhooks' } })

// Where core hands the deliveries of processed receipts; the relay adds over it too.
const queue = createWorkQueue({ redisUrl: config.redisUrl, prefix: settings.queuePrefix, logger })
const opened = await openCore(config, { queue })
const worker = startWebhookWorker({ core: opened.core, config, settings, logger, queue })
// Meta's inbound webhooks: stored receipts → message.* / phone_number.disconnected events.
const metaInbound = startMetaInboundWorker({ core: opened.core, config, settings, logger, queue })
// Old Meta receipts and expired idempotency records; once a minute is plenty for both.
const retention = startRetention({ core: opened.core, config, logger, intervalMs: 60_000 })
logger.info(
  {
    concurrency: settings.concurrency,
    retryDelaysMs: config.webhooks.retryDelaysMs,
    allowPrivateTargets: config.webhooks.allowPrivateTargets,
  },
  'webhook worker started',
)

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'draining in-flight deliveries')
  const deadline = setTimeout(() => {
    logger.error({}, 'deliveries did not drain in time; exiting (they will be picked up again)')
    process.exit(1)
  }, workerDrainDeadlineMs(config.webhooks.timeoutMs))
  deadline.unref()
  await retention.stop()
  await worker.close()
  await metaInbound.close()
  await queue.close()
  await opened.close()
  logger.info({}, 'webhook worker stopped')
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
// Under the supervisor the IPC channel closes when it dies, even by SIGKILL: drain and exit
// rather than run on as an orphan nobody supervises (no channel, no event).
process.on('disconnect', () => void shutdown('supervisor gone'))

import { exitWith, loadConfig, onStopRequest, openCore } from '@onboard/core'
import { createWorkQueue } from '@onboard/queue'
import { pino } from 'pino'
import { createWorkerRegistry, serveWorkerMetrics } from './metrics'
import { startWorkerRole } from './role'
import { loadWorkerSettings, workerDrainDeadlineMs } from './settings'

// Entry of the worker role alone (`./scripts/start worker`): node --import tsx workers/webhooks/src/main.ts
const loaded = loadConfig(process.env)
const loadedSettings = loadWorkerSettings(process.env)
if (!loaded.ok) exitWith(loaded.message)
if (!loadedSettings.ok) exitWith(loadedSettings.message)
const { config } = loaded
const { settings } = loadedSettings
const logger = pino({ level: config.logLevel, base: { service: 'worker-webhooks' } })

// Where core hands the deliveries of processed receipts; the relay adds over it too.
const queue = createWorkQueue({
  redisUrl: config.redisUrl,
  prefix: config.webhooks.queuePrefix,
  logger,
})
const opened = await openCore(config, { queue }).catch((error: Error) => exitWith(error.message))
const registry = createWorkerRegistry()
// Listen before taking work, so a taken METRICS_PORT stops the start instead of a half-up worker.
const metricsServer = await serveWorkerMetrics(registry, config.metricsPort).catch((error: Error) =>
  exitWith(error.message),
)
logger.info({ port: metricsServer.port }, `worker metrics on port ${metricsServer.port}`)
const role = startWorkerRole({ config, settings, core: opened.core, queue, logger, registry })

async function shutdown(signal: string) {
  logger.info({ signal }, 'draining in-flight deliveries')
  const deadline = setTimeout(() => {
    logger.error({}, 'deliveries did not drain in time; exiting (they will be picked up again)')
    process.exit(1)
  }, workerDrainDeadlineMs(config.webhooks.timeoutMs))
  deadline.unref()
  await role.close()
  await queue.close()
  await metricsServer.close()
  await opened.close()
  logger.info({}, 'webhook worker stopped')
  process.exit(0)
}
onStopRequest(shutdown)

import { exitWith, loadConfig, onStopRequest, openCore } from '@onboard/core'
import { createWorkQueue } from '@onboard/queue'
import { pino } from 'pino'
import { createProcessRegistry } from '../apps/api/src/lib/metrics'
import { startApiRole } from '../apps/api/src/role'
import { startWorkerRole } from '../workers/webhooks/src/role'
import { loadWorkerSettings, workerDrainDeadlineMs } from '../workers/webhooks/src/settings'

/**
 * Entry of the embedded default (`./scripts/start`): the API and the worker roles in one
 * process, on one database handle. Two processes on one SQLite file would each wait for
 * the other's writes; one process has one writer, and the event loop interleaves the
 * requests and the deliveries. The roles are the same code `./scripts/start api|worker`
 * run in separate processes; the API's /metrics shows both roles' series.
 */
const loaded = loadConfig(process.env)
const loadedSettings = loadWorkerSettings(process.env)
if (!loaded.ok) exitWith(loaded.message)
if (!loadedSettings.ok) exitWith(loadedSettings.message)
const { config } = loaded
// As the API alone: buffered log writes (a write per request line cost more than the request).
const LOG_FLUSH_MS = 250
const logDestination = pino.destination({ sync: false, minLength: 4096 })
setInterval(() => logDestination.flush(), LOG_FLUSH_MS).unref()
const logger = pino({ level: config.logLevel }, logDestination)

// One queue for both roles: core's after-commit port, the relay's producer, one outage line.
const queue = createWorkQueue({
  redisUrl: config.redisUrl,
  prefix: config.webhooks.queuePrefix,
  logger,
})
const opened = await openCore(config, { queue }).catch((error: Error) => exitWith(error.message))
if (opened.generatedKeyPath) {
  logger.warn(
    { path: opened.generatedKeyPath },
    'ENCRYPTION_KEY is not set: generated a local key into the data folder. Set ENCRYPTION_KEY in production.',
  )
}
const registry = createProcessRegistry()
const api = await startApiRole({
  config,
  core: opened.core,
  queue,
  logger: logger.child({ service: 'api' }),
  registry,
  print: (text) => process.stdout.write(`${text}\n`),
}).catch((error: Error) => exitWith(error.message))
const worker = startWorkerRole({
  config,
  settings: loadedSettings.settings,
  core: opened.core,
  queue,
  logger: logger.child({ service: 'worker-webhooks' }),
  registry,
})

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down: closing the API, draining in-flight deliveries')
  const deadline = setTimeout(() => {
    logger.error({}, 'deliveries did not drain in time; exiting (they will be picked up again)')
    logger.flush()
    process.exit(1)
  }, workerDrainDeadlineMs(config.webhooks.timeoutMs))
  deadline.unref()
  await Promise.all([api.close(), worker.close()])
  await queue.close()
  await opened.close()
  logger.info({}, 'webhook worker stopped')
  logger.flush()
  process.exit(0)
}
onStopRequest(shutdown)

import { exitWith, loadConfig, onStopRequest, openCore } from '@onboard/core'
import { createWorkQueue } from '@onboard/queue'
import { pino } from 'pino'
import { createProcessRegistry } from './lib/metrics'
import { startApiRole } from './role'

// Entry of the API role alone (`./scripts/start api`): node --import tsx apps/api/src/main.ts
const loaded = loadConfig(process.env)
if (!loaded.ok) exitWith(loaded.message)
const config = loaded.config
// Asynchronous, buffered writes: a write per request line cost more than the request itself.
// Lines wait for 4 KB or at most LOG_FLUSH_MS; pino flushes what is left when the process exits.
const LOG_FLUSH_MS = 250
const logDestination = pino.destination({ sync: false, minLength: 4096 })
setInterval(() => logDestination.flush(), LOG_FLUSH_MS).unref()
const logger = pino({ level: config.logLevel, base: { service: 'api' } }, logDestination)

// Where core hands committed deliveries and Meta receipts (the worker's relay and sweeper
// cover whatever does not get through).
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
const api = await startApiRole({
  config,
  core: opened.core,
  queue,
  logger,
  registry: createProcessRegistry(),
  print: (text) => process.stdout.write(`${text}\n`),
}).catch((error: Error) => exitWith(error.message))

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down')
  await api.close()
  await queue.close()
  await opened.close()
  logger.flush()
  process.exit(0)
}
onStopRequest(shutdown)

import { serve } from '@hono/node-server'
import { loadConfig, onboarding, openCore } from '@onboard/core'
import { SANDBOX_APP_ID } from '@onboard/meta-sandbox'
import { createWorkQueue } from '@onboard/queue'
import { createViews } from '@onboard/views'
import { pino } from 'pino'
import { createApp } from './app'
import { bootstrapDefaultOrganization } from './bootstrap'

const loaded = loadConfig(process.env)
if (!loaded.ok) {
  process.stderr.write(`${loaded.message}\n`)
  process.exit(1)
}
const config = loaded.config
// Asynchronous, buffered writes: a write per request line cost more than the request itself.
// Lines wait for 4 KB or at most LOG_FLUSH_MS; pino flushes what is left when the process exits.
const LOG_FLUSH_MS = 250
const logDestination = pino.destination({ sync: false, minLength: 4096 })
setInterval(() => logDestination.flush(), LOG_FLUSH_MS).unref()
const logger = pino({ level: config.logLevel, base: { service: 'api' } }, logDestination)

// Where core hands committed deliveries and Meta receipts (the worker's relay and sweeper
// cover whatever does not get through).
const queue = createWorkQueue({ redisUrl: config.redisUrl, logger })
const opened = await openCore(config, { queue })
if (opened.generatedKeyPath) {
  logger.warn(
    { path: opened.generatedKeyPath },
    'ENCRYPTION_KEY is not set: generated a local key into the data folder. Set ENCRYPTION_KEY in production.',
  )
}
const app = createApp({
  config,
  core: opened.core,
  logger,
  views: createViews(),
  pingRedis: () => queue.ping(),
  // Test mode reaches the sandbox mounted in this process over loopback, not PUBLIC_BASE_URL,
  // which may be a proxy the server cannot reach itself through.
  metaApps: onboarding.createMetaApps(config, {
    graphUrl: `http://127.0.0.1:${config.port}/__sandbox/graph`,
    appId: SANDBOX_APP_ID,
    appSecret: opened.core.keyring.sandboxAppSecret,
    systemUserToken: opened.core.keyring.sandboxSystemUserToken,
  }),
})

await bootstrapDefaultOrganization(opened.core, (text) => process.stdout.write(`${text}\n`))

const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
  logger.info(
    { port: info.port, publicBaseUrl: config.publicBaseUrl },
    `API listening on ${config.publicBaseUrl}`,
  )
})
server.on('error', (error: NodeJS.ErrnoException) => {
  logger.fatal({ reason: error.code }, `Cannot listen on port ${config.port}: ${error.message}`)
  process.exit(1)
})

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'shutting down')
  server.close()
  await queue.close()
  await opened.close()
  logger.flush()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
// Under the supervisor the IPC channel closes when it dies, even by SIGKILL: exit rather than
// keep the port as an orphan, so the next start can bind it (no channel, no event).
process.on('disconnect', () => void shutdown('supervisor gone'))

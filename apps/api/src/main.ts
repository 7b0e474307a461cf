import { serve } from '@hono/node-server'
import { loadConfig, openCore } from '@onboard/core'
import { createViews } from '@onboard/views'
import { pino } from 'pino'
import { createApp } from './app'
import { bootstrapDefaultOrganization } from './bootstrap'
import { connectRedis, pingRedis } from './lib/redis'

const loaded = loadConfig(process.env)
if (!loaded.ok) {
  process.stderr.write(`${loaded.message}\n`)
  process.exit(1)
}
const config = loaded.config
const logger = pino({ level: config.logLevel, base: { service: 'api' } })

const opened = await openCore(config)
if (opened.generatedKeyPath) {
  logger.warn(
    { path: opened.generatedKeyPath },
    'ENCRYPTION_KEY is not set: generated a local key into the data folder. Set ENCRYPTION_KEY in production.',
  )
}
const redis = connectRedis(config.redisUrl, logger, 'the API')

const app = createApp({
  config,
  core: opened.core,
  logger,
  views: createViews(),
  pingRedis: () => pingRedis(redis),
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
  redis.disconnect()
  await opened.close()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))

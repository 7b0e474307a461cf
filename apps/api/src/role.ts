import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type Config, type CoreContext, createMetaApps } from '@onboard/core'
import { SANDBOX_APP_ID } from '@onboard/meta-sandbox'
import type { RedisWorkQueue } from '@onboard/queue'
import { createViews } from '@onboard/views'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { createApp } from './app'
import { bootstrapDefaultOrganization } from './bootstrap'
import { createApiMetrics } from './lib/metrics'

export interface ApiRole {
  port: number
  /** Stops accepting connections; the caller closes the queue and the database. */
  close: () => Promise<void>
}

/**
 * The API role: the HTTP app on `config.port` and the first-start organisation. Resolves once it listens; rejects with one line when it cannot.
 * apps/api/src/main.ts runs it alone; scripts/all-in-one.ts beside the worker role.
 */
export async function startApiRole(options: {
  config: Config
  core: CoreContext
  /** The process's queue (core's after-commit port); /readyz pings Redis through it. */
  queue: RedisWorkQueue
  logger: Logger
  /** The process's metrics registry (/metrics shows everything registered in it). */
  registry: Registry
  /** Where the first-start banner goes. */
  print: (text: string) => void
}): Promise<ApiRole> {
  const { config, core, logger, queue } = options
  const app = createApp({
    config,
    core,
    logger,
    views: createViews(),
    pingRedis: () => queue.ping(),
    metrics: createApiMetrics(options.registry),
    // Test mode reaches the sandbox mounted in this process over loopback, not PUBLIC_BASE_URL,
    // which may be a proxy the server cannot reach itself through.
    metaApps: createMetaApps(config, {
      graphUrl: `http://127.0.0.1:${config.port}/__sandbox/graph`,
      appId: SANDBOX_APP_ID,
      appSecret: core.keyring.sandboxAppSecret,
      systemUserToken: core.keyring.sandboxSystemUserToken,
    }),
  })

  await bootstrapDefaultOrganization(core, options.print)

  const server = serve({ fetch: app.fetch, port: config.port })
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve)
      server.once('error', reject)
    })
  } catch (error) {
    throw new Error(`Cannot listen on port ${config.port}: ${(error as Error).message}`)
  }
  const port = (server.address() as AddressInfo).port
  logger.info(
    { port, publicBaseUrl: config.publicBaseUrl },
    `API listening on ${config.publicBaseUrl}`,
  )
  return {
    port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import {
  type Config,
  type CoreContext,
  createMetaApps,
  createOrganization,
  loadConfig,
  type MetaApps,
} from '@onboard/core'
import { createTestDatabase, type TestDatabase } from '@onboard/core/testing'
import { createDb, parseDatabaseUrl } from '@onboard/db'
import { type MetaSandbox, SANDBOX_APP_ID } from '@onboard/meta-sandbox'
import {
  createWorkQueue,
  type DeliveryQueue,
  META_RECEIPT_QUEUE,
  type RedisWorkQueue,
} from '@onboard/queue'
import { createViews } from '@onboard/views'
import { Queue } from 'bullmq'
import { pino } from 'pino'
import { type App, createApp } from '../../src/app'
import type { AppDeps, AppEnv } from '../../src/lib/env'
import { createMountedSandbox } from '../../src/lib/sandbox'

export interface TestApi {
  app: App
  url: string
  core: CoreContext
  config: Config
  database: TestDatabase
  /** This test's own BullMQ prefix: a worker started with it sees only this test's jobs. */
  queuePrefix: string
  /** The process's WorkQueue, as main.ts builds it (core hands committed work to it). */
  workQueue: RedisWorkQueue
  /** Its delivery producer, to look at the jobs the API queued. */
  deliveryQueue: DeliveryQueue
  /** The Meta sandbox mounted at /__sandbox, for tests to play signups and inspect its state. */
  sandbox: MetaSandbox
  /** The app's Meta apps (test mode: that sandbox), which the test workers complete sign-ups with. */
  metaApps: MetaApps
  /** Resolves when the app next receives a request for `path` (its headers are in). */
  nextRequest: (path: string) => Promise<void>
  /** fetch against the running server; `key` adds the Authorization header. */
  request: (
    path: string,
    init?: RequestInit & { key?: string; json?: unknown },
  ) => Promise<Response>
  /** A new organisation with a test and a live key; each test mints its own. */
  createOrganization: (name?: string) => Promise<{ id: string; test: string; live: string }>
  close: () => Promise<void>
}

export interface StartOptions {
  env?: Record<string, string>
  customize?: (deps: AppDeps) => AppDeps
  replicaOf?: TestApi
}

/**
 * The real app on a real socket (127.0.0.1, ephemeral port) over a fresh migrated database
 * and the real Redis. `env` overrides configuration the way the environment would.
 * `replicaOf` runs a second replica on another's database instead, over connections of its
 * own as a second process would open (its close leaves that database alone).
 */
export async function startTestApi(options: StartOptions = {}): Promise<TestApi> {
  let handler: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response(null, { status: 503 })
  const awaited = new Map<string, Array<() => void>>()
  // The adapter's bindings pass through, as in main.ts: bodies are read from the socket.
  const server = serve({
    fetch: (request, env) => handler(request, env),
    port: 0,
    hostname: '127.0.0.1',
  })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const database = options.replicaOf
    ? replicaDatabase(options.replicaOf.database, url)
    : await createTestDatabase({ publicBaseUrl: url })
  const queuePrefix = `test-${randomUUID()}`
  const loaded = loadConfig({
    DATABASE_URL: database.databaseUrl,
    WEBHOOK_QUEUE_PREFIX: queuePrefix,
    PUBLIC_BASE_URL: url,
    WEBHOOK_RETRY_DELAYS: '1s,1s,2s',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    LOG_LEVEL: 'silent',
    ...options.env,
  })
  if (!loaded.ok) throw new Error(loaded.message)
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })
  const workQueue = createWorkQueue({ redisUrl: loaded.config.redisUrl, prefix: queuePrefix })
  await workQueue.ready().catch(() => undefined)
  const { deliveryQueue } = workQueue
  // The database's context with the process's queue, as openCore builds it in main.ts.
  const core: CoreContext = { ...database.core, queue: workQueue }
  const views = createViews()
  // The app's own sandbox (its secret, origin and emit authorisation), kept to inspect its state.
  const sandbox = createMountedSandbox({ config: loaded.config, core, views })
  const baseDeps: AppDeps = {
    config: loaded.config,
    core,
    logger,
    views,
    pingRedis: () => workQueue.ping(),
    metaApps: createMetaApps(loaded.config, {
      graphUrl: `${url}/__sandbox/graph`,
      appId: SANDBOX_APP_ID,
      appSecret: core.keyring.sandboxAppSecret,
      systemUserToken: core.keyring.sandboxSystemUserToken,
    }),
    sandbox,
  }
  const deps = options.customize ? options.customize(baseDeps) : baseDeps
  const app = createApp(deps)
  handler = (request, env) => {
    const path = new URL(request.url).pathname
    for (const arrived of awaited.get(path) ?? []) arrived()
    awaited.delete(path)
    return app.fetch(request, env as AppEnv['Bindings'])
  }

  return {
    app,
    url,
    core,
    config: loaded.config,
    database,
    queuePrefix,
    workQueue,
    deliveryQueue,
    sandbox,
    metaApps: deps.metaApps,
    nextRequest: (path) =>
      new Promise((resolve) => {
        awaited.set(path, [...(awaited.get(path) ?? []), resolve])
      }),
    request: (path, init = {}) => {
      const { key, json, ...rest } = init
      const headers = new Headers(rest.headers)
      if (key) headers.set('authorization', `Bearer ${key}`)
      if (json !== undefined) headers.set('content-type', 'application/json')
      return fetch(`${url}${path}`, {
        ...rest,
        headers,
        body: json === undefined ? rest.body : JSON.stringify(json),
        redirect: 'manual',
      })
    },
    createOrganization: async (name = 'Test organisation') => {
      const created = await createOrganization(core, { name })
      return { id: created.organization.id, ...created.keys }
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      ;(server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
      await closed
      if (deliveryQueue.connected()) {
        await deliveryQueue.queue.obliterate({ force: true }).catch(() => undefined)
        // Receipts posted to /webhooks/meta (e.g. by the sandbox emitter) queue jobs too.
        const receipts = new Queue(META_RECEIPT_QUEUE, {
          connection: { url: loaded.config.redisUrl },
          prefix: queuePrefix,
        })
        await receipts.obliterate({ force: true }).catch(() => undefined)
        await receipts.close()
      }
      await workQueue.close()
      await database.close()
    },
  }
}

/** Another replica's view of `shared`: the same data and keys over its own connections. */
function replicaDatabase(shared: TestDatabase, publicBaseUrl: string): TestDatabase {
  const db = createDb(parseDatabaseUrl(shared.databaseUrl))
  return {
    ...shared,
    core: { ...shared.core, db, publicBaseUrl },
    close: () => db.destroy(),
  }
}

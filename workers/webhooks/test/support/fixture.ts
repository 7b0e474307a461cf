import { randomUUID } from 'node:crypto'
import {
  type Config,
  type CoreContext,
  createOrganization,
  loadConfig,
  outgoingWebhooks,
  recordEvent,
  type Tenant,
} from '@onboard/core'
import { createTestDatabase, type TestDatabase, testCreationRules } from '@onboard/core/testing'
import { createWorkQueue, type DeliveryQueue, type RedisWorkQueue } from '@onboard/queue'
import type { EventType } from '@onboard/webhooks'
import { pino } from 'pino'
import { loadWorkerSettings, startWebhookWorker, type WebhookWorker } from '../../src/index'

export interface Fixture {
  core: CoreContext
  database: TestDatabase
  config: Config
  tenant: Tenant
  redisUrl: string
  prefix: string
  /** The process's WorkQueue (in `core`), as the worker's main.ts builds it. */
  workQueue: RedisWorkQueue
  /** Its delivery producer. */
  queue: DeliveryQueue
  /** The worker running in this process, unless `inProcessWorker: false`. */
  worker: WebhookWorker | undefined
  /** Environment for a worker child process on the same database, Redis and prefix. */
  workerEnv: Record<string, string>
  endpoint: (
    input: Partial<outgoingWebhooks.CreateOutgoingWebhookInput> & { url: string },
  ) => Promise<outgoingWebhooks.OutgoingWebhook>
  /** What a change does: record the event in a transaction, then hand it to core.queue. */
  emit: (type: EventType, data?: Record<string, unknown>, wabaId?: string) => Promise<string[]>
  deliveries: (endpointId: string) => Promise<outgoingWebhooks.Delivery[]>
  close: () => Promise<void>
}

export async function startFixture(
  options: { env?: Record<string, string>; redisUrl?: string; inProcessWorker?: boolean } = {},
): Promise<Fixture> {
  const redisUrl = options.redisUrl ?? 'redis://127.0.0.1:6379'
  const prefix = `test-${randomUUID()}`
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })
  const workQueue = createWorkQueue({ redisUrl, prefix, logger })
  await workQueue.ready().catch(() => undefined)
  const queue = workQueue.deliveryQueue
  const database = await createTestDatabase({ queue: workQueue })
  const workerEnv: Record<string, string> = {
    DATABASE_URL: database.databaseUrl,
    ENCRYPTION_KEY: database.encryptionKey,
    REDIS_URL: redisUrl,
    WEBHOOK_RETRY_DELAYS: '1s,1s,2s',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_QUEUE_PREFIX: prefix,
    WEBHOOK_RELAY_INTERVAL: '300ms',
    WEBHOOK_WORKER_LOCK_DURATION: '2s',
    WEBHOOK_WORKER_STALLED_INTERVAL: '1s',
    LOG_LEVEL: 'silent',
    ...options.env,
  }
  const loaded = loadConfig(workerEnv)
  if (!loaded.ok) throw new Error(loaded.message)
  const settings = loadWorkerSettings(workerEnv)
  if (!settings.ok) throw new Error(settings.message)
  const created = await createOrganization(database.core, { name: 'Org' })
  const tenant: Tenant = { organizationId: created.organization.id, mode: 'test' }
  const worker =
    options.inProcessWorker === false
      ? undefined
      : startWebhookWorker({
          core: database.core,
          config: loaded.config,
          settings: settings.settings,
          logger,
          queue: workQueue,
        })
  const core = database.core
  return {
    core,
    database,
    config: loaded.config,
    tenant,
    redisUrl,
    prefix,
    workQueue,
    queue,
    worker,
    workerEnv,
    endpoint: (input) =>
      // Stored as the API would have with private targets allowed; the worker's own rule is under test.
      outgoingWebhooks.createOutgoingWebhook(core, testCreationRules().webhookTargets, tenant, {
        events: ['phone_number.connected'],
        ...input,
      }),
    emit: async (type, data = {}, wabaId) => {
      const recorded = await core.db
        .transaction()
        .execute((trx) => recordEvent(trx, { tenant, type, data, wabaId }))
      await core.queue.deliveries(recorded.deliveryIds)
      return recorded.deliveryIds
    },
    deliveries: async (endpointId) =>
      (
        await outgoingWebhooks.listDeliveries(core, tenant, endpointId, {
          page: 1,
          limit: 100,
        })
      ).data,
    close: async () => {
      await worker?.close()
      if (queue.connected()) await queue.queue.obliterate({ force: true }).catch(() => undefined)
      await workQueue.close()
      await database.close()
    },
  }
}

import { randomUUID } from 'node:crypto'
import {
  createOrganization,
  loadConfig,
  metaWebhooks,
  outgoingWebhooks,
  relayOnlyQueue,
  type Tenant,
} from '@onboard/core'
import {
  type ConnectedPhoneFixture,
  createTestDatabase,
  inboundTextWebhook,
  insertConnectedPhone,
  type TestDatabase,
  testCreationRules,
} from '@onboard/core/testing'
import {
  createWorkQueue,
  DELIVERY_QUEUE,
  META_RECEIPT_JOB,
  META_RECEIPT_QUEUE,
  metaReceiptJobOptions,
  type RedisWorkQueue,
} from '@onboard/queue'
import { Queue } from 'bullmq'
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { workerMetaApps } from '../src/meta-apps'
import { type MetaInboundWorker, startMetaInboundWorker } from '../src/meta-inbound/index'
import { loadWorkerSettings } from '../src/settings'
import { waitFor } from './support/receiver'

describe('the Meta receipt worker', () => {
  const redisUrl = 'redis://127.0.0.1:6379'
  let database: TestDatabase
  let tenant: Tenant
  let phone: ConnectedPhoneFixture
  let prefix: string
  let worker: MetaInboundWorker
  let workQueue: RedisWorkQueue
  let queues: Queue[]
  beforeEach(async () => {
    prefix = `test-${randomUUID()}`
    workQueue = createWorkQueue({ redisUrl, prefix })
    database = await createTestDatabase({ queue: workQueue })
    const created = await createOrganization(database.core, { name: 'Org' })
    tenant = { organizationId: created.organization.id, mode: 'test' }
    phone = await insertConnectedPhone(database.core, tenant)
    await outgoingWebhooks.createOutgoingWebhook(
      database.core,
      testCreationRules().webhookTargets,
      tenant,
      {
        url: 'https://example.com/hook',
        events: ['message.received'],
      },
    )
    const env = {
      REDIS_URL: redisUrl,
      WEBHOOK_QUEUE_PREFIX: prefix,
      WEBHOOK_RELAY_INTERVAL: '200ms',
    }
    const config = loadConfig(env)
    const settings = loadWorkerSettings(env)
    if (!config.ok || !settings.ok) throw new Error('bad test configuration')
    worker = startMetaInboundWorker({
      core: database.core,
      config: config.config,
      settings: settings.settings,
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      queue: workQueue,
      // No sign-up here awaits an install: the Meta apps are never called.
      metaApps: workerMetaApps(config.config, database.core),
    })
    queues = [META_RECEIPT_QUEUE, DELIVERY_QUEUE].map(
      (name) => new Queue(name, { connection: { url: redisUrl }, prefix }),
    )
  })
  afterEach(async () => {
    await worker.close()
    for (const queue of queues) {
      await queue.obliterate({ force: true }).catch(() => undefined)
      await queue.close()
    }
    await workQueue.close()
    await database.close()
  })

  const statusOf = async (receiptId: string) =>
    (
      await database.core.db
        .selectFrom('meta_webhook_receipts')
        .select('status')
        .where('id', '=', receiptId)
        .executeTakeFirstOrThrow()
    ).status

  it('processes a receipt job and enqueues its deliveries', async () => {
    const [receiptQueue, deliveryQueue] = queues
    // Stored as the API stores it, whose queue hands the receipt to the worker.
    const stored = await metaWebhooks.storeReceipt(database.core, {
      mode: 'test',
      body: inboundTextWebhook(phone, 'wamid.W1'),
    })
    // A second add (Meta retrying the body, say) is the same job.
    await receiptQueue?.add(
      META_RECEIPT_JOB,
      { receiptId: stored.receiptId },
      metaReceiptJobOptions(stored.receiptId),
    )
    await waitFor(
      'the receipt to be processed',
      async () => (await statusOf(stored.receiptId)) === 'processed',
    )
    const delivery = await database.core.db
      .selectFrom('webhook_deliveries')
      .select(['id', 'event_type'])
      .executeTakeFirstOrThrow()
    expect(delivery.event_type).toBe('message.received')
    await waitFor(
      'the delivery job',
      async () => (await deliveryQueue?.getJob(delivery.id)) !== undefined,
    )
  })

  it('sweeps a receipt whose job never reached Redis', async () => {
    // Stored by a process whose hand-off to Redis never happened.
    const stored = await metaWebhooks.storeReceipt(
      { ...database.core, queue: relayOnlyQueue },
      {
        mode: 'test',
        body: inboundTextWebhook(phone, 'wamid.W2'),
      },
    )
    await waitFor(
      'the sweeper',
      async () => (await statusOf(stored.receiptId)) === 'processed',
      10_000,
    )
    const events = await database.core.db.selectFrom('events').select('type').execute()
    expect(events).toEqual([{ type: 'message.received' }])
  })
})

import { createOrganization, loadConfig, metaWebhooks, type Tenant } from '@onboard/core'
import {
  type ConnectedPhoneFixture,
  createTestDatabase,
  inboundTextWebhook,
  insertConnectedPhone,
  messageStatusWebhook,
  type TestDatabase,
} from '@onboard/core/testing'
import { messagesStore } from '@onboard/db'
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { purgeExpiredOnce } from '../src/retention'

const DAY = 86_400_000

describe('the worker purges what is kept only for a while', () => {
  let database: TestDatabase
  let tenant: Tenant
  let phone: ConnectedPhoneFixture
  const start = new Date('2026-11-22T12:00:00.000Z')
  beforeEach(async () => {
    database = await createTestDatabase()
    database.setNow(start)
    const created = await createOrganization(database.core, { name: 'Org' })
    tenant = { organizationId: created.organization.id, mode: 'test' }
    phone = await insertConnectedPhone(database.core, tenant)
  })
  afterEach(async () => {
    await database.close()
  })

  const purge = (env: Record<string, string> = {}, batchSize?: number) => {
    const loaded = loadConfig(env)
    if (!loaded.ok) throw new Error(loaded.message)
    return purgeExpiredOnce({
      core: database.core,
      config: loaded.config,
      logger: pino({ level: 'silent' }),
      intervalMs: 60_000,
      batchSize,
    })
  }
  const receipts = () =>
    database.core.db.selectFrom('meta_webhook_receipts').select(['id', 'status']).execute()
  const items = () => database.core.db.selectFrom('meta_webhook_items').selectAll().execute()
  const store = (messageId: string) =>
    metaWebhooks.storeReceipt(database.core, {
      mode: 'test',
      body: inboundTextWebhook(phone, messageId),
    })

  it('keeps processed receipts and their dedup items for the retention (30 days), then deletes them', async () => {
    const processed = await store('wamid.OLD')
    await metaWebhooks.processReceipt(database.core, processed.receiptId)
    const pending = await store('wamid.PENDING')
    expect(await items()).toHaveLength(1)

    database.setNow(new Date(start.getTime() + 29 * DAY))
    expect(await purge()).toEqual({
      metaReceipts: 0,
      metaItems: 0,
      messageStatuses: 0,
      idempotencyKeys: 0,
    })
    // Within the retention, Meta's retry of the same body is still recognised.
    const retry = await store('wamid.OLD')
    expect(retry).toEqual({ receiptId: processed.receiptId, duplicate: true, pending: false })

    database.setNow(new Date(start.getTime() + 30 * DAY + 1))
    expect(await purge()).toEqual({
      metaReceipts: 1,
      metaItems: 1,
      messageStatuses: 0,
      idempotencyKeys: 0,
    })
    // A receipt still pending is the sweeper's, whatever its age.
    expect(await receipts()).toEqual([{ id: pending.receiptId, status: 'pending' }])
    expect(await items()).toEqual([])
  })

  it('follows META_WEBHOOK_RECEIPT_RETENTION and deletes in bounded batches', async () => {
    for (const id of ['wamid.A', 'wamid.B', 'wamid.C']) {
      const stored = await store(id)
      await metaWebhooks.processReceipt(database.core, stored.receiptId)
    }
    database.setNow(new Date(start.getTime() + 8 * DAY))
    expect((await purge()).metaReceipts).toBe(0)
    const purged = await purge({ META_WEBHOOK_RECEIPT_RETENTION: '7d' }, 2)
    // Two batches of two: everything goes in one tick, each statement bounded.
    expect(purged).toEqual({
      metaReceipts: 3,
      metaItems: 3,
      messageStatuses: 0,
      idempotencyKeys: 0,
    })
    expect(await receipts()).toEqual([])
  })

  it('deletes old statuses of messages not sent through us, and keeps those of ours', async () => {
    const status = (wamid: string) => messageStatusWebhook(phone, wamid, 'delivered', 1764000000)
    await messagesStore.insertMessage(database.core.db, {
      id: 'wmsg_ours',
      organization_id: tenant.organizationId,
      mode: 'test',
      phone_number_id: phone.phoneId,
      waba_id: phone.wabaId,
      wamid: 'wamid.OURS',
      recipient: '+16505551234',
      wa_id: null,
      type: 'text',
      body: '{}',
      status: 'accepted',
      error: null,
      created_at: start.toISOString(),
      updated_at: start.toISOString(),
    })
    for (const wamid of ['wamid.OURS', 'wamid.ELSEWHERE']) {
      const stored = await metaWebhooks.storeReceipt(database.core, {
        mode: 'test',
        body: status(wamid),
      })
      await metaWebhooks.processReceipt(database.core, stored.receiptId)
    }
    const statuses = () =>
      database.core.db.selectFrom('message_statuses').select('wamid').orderBy('wamid').execute()
    expect(await statuses()).toEqual([{ wamid: 'wamid.ELSEWHERE' }, { wamid: 'wamid.OURS' }])
    database.setNow(new Date(start.getTime() + 29 * DAY))
    expect((await purge()).messageStatuses).toBe(0)
    database.setNow(new Date(start.getTime() + 30 * DAY + 1))
    expect((await purge()).messageStatuses).toBe(1)
    expect(await statuses()).toEqual([{ wamid: 'wamid.OURS' }])
  })

  it('deletes idempotency records past their 24 h window', async () => {
    const row = (key: string, at: Date) => ({
      organization_id: tenant.organizationId,
      mode: 'test' as const,
      key,
      request_hash: 'h',
      response_status: 201,
      response_body: database.core.keyring.encrypt('{"data":{}}'),
      created_at: at.toISOString(),
    })
    await database.core.db
      .insertInto('idempotency_keys')
      .values([row('old', start), row('recent', new Date(start.getTime() + 2 * DAY))])
      .execute()
    database.setNow(new Date(start.getTime() + 2 * DAY + 3600_000))
    expect((await purge()).idempotencyKeys).toBe(1)
    const left = await database.core.db.selectFrom('idempotency_keys').select('key').execute()
    expect(left).toEqual([{ key: 'recent' }])
  })
})

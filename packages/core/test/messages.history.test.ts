import { messagesStore } from '@onboard/db'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { messages, metaWebhooks, recordingQueue, type Tenant } from '../src/index'
import {
  type ConnectedPhoneFixture,
  createTestDatabase,
  createTestTenant,
  insertConnectedPhone,
  messageStatusWebhook,
  type TestDatabase,
} from '../src/testing/index'

/** Meta's status webhooks kept as a sent message's history, whatever order they come in. */
describe('a sent message’s status history', () => {
  let database: TestDatabase
  let tenant: Tenant
  let phone: ConnectedPhoneFixture
  beforeEach(async () => {
    database = await createTestDatabase({ queue: recordingQueue() })
    tenant = await createTestTenant(database.core, { name: 'Org' })
    phone = await insertConnectedPhone(database.core, tenant)
  })
  afterEach(async () => {
    await database.close()
  })

  const receive = async (body: string) => {
    const stored = await metaWebhooks.storeReceipt(database.core, { mode: 'test', body })
    return metaWebhooks.processReceipt(database.core, stored.receiptId)
  }

  /** The row POST /v1/phones/:id/messages stores once Meta accepted the message. */
  const storeSent = async (id: string, wamid: string) => {
    const now = new Date().toISOString()
    await messagesStore.insertMessage(database.core.db, {
      id,
      organization_id: tenant.organizationId,
      mode: tenant.mode,
      phone_number_id: phone.phoneId,
      waba_id: phone.wabaId,
      wamid,
      recipient: '+16505551234',
      wa_id: '16505551234',
      type: 'text',
      body: JSON.stringify({ to: '+16505551234', type: 'text', text: { body: 'Hi' } }),
      status: 'accepted',
      error: null,
      created_at: now,
      updated_at: now,
    })
  }

  it('moves the message forward only, and keeps every status in the order it happened', async () => {
    await storeSent('wmsg_one', 'wamid.ONE')
    await receive(messageStatusWebhook(phone, 'wamid.ONE', 'sent', 1750030080))
    // Meta does not keep order: read arrives before delivered.
    await receive(messageStatusWebhook(phone, 'wamid.ONE', 'read', 1750030090))
    await receive(messageStatusWebhook(phone, 'wamid.ONE', 'delivered', 1750030085))
    const message = await messages.getMessage(database.core, tenant, 'wmsg_one')
    expect(message.status).toBe('read')
    expect(message.statuses.map((s) => [s.status, s.timestamp])).toEqual([
      ['sent', '2025-06-15T23:28:00.000Z'],
      ['delivered', '2025-06-15T23:28:05.000Z'],
      ['read', '2025-06-15T23:28:10.000Z'],
    ])
    expect(message.statuses[0]?.pricing).toEqual({ billable: true, category: 'service' })
    const row = await messagesStore.findOwnedMessage(database.core.db, tenant, 'wmsg_one')
    expect(row?.status).toBe('read')
  })

  it('shows statuses processed before the send stored its message', async () => {
    await receive(messageStatusWebhook(phone, 'wamid.EARLY', 'sent', 1750030080))
    await receive(messageStatusWebhook(phone, 'wamid.EARLY', 'failed', 1750030081))
    await storeSent('wmsg_early', 'wamid.EARLY')
    const message = await messages.getMessage(database.core, tenant, 'wmsg_early')
    expect(message.status).toBe('failed')
    expect(message.errors).toEqual([{ code: 131026, title: 'Message undeliverable' }])
    expect(message.statuses.map((s) => s.status)).toEqual(['sent', 'failed'])
  })

  it('names our message in the status event when it was sent through us', async () => {
    await storeSent('wmsg_named', 'wamid.NAMED')
    await receive(messageStatusWebhook(phone, 'wamid.NAMED', 'delivered', 1750030080))
    await receive(messageStatusWebhook(phone, 'wamid.ELSEWHERE', 'delivered', 1750030080))
    const payloads = (await database.core.db.selectFrom('events').select('payload').execute()).map(
      (e) => JSON.parse(e.payload),
    )
    const named = payloads.map((p) => [p.data.status.id, p.data.messageId]).sort()
    expect(named).toEqual([
      ['wamid.ELSEWHERE', null],
      ['wamid.NAMED', 'wmsg_named'],
    ])
  })
})

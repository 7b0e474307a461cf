import { createDb, isUniqueViolation, parseDatabaseUrl } from '@onboard/db'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createOrganization,
  metaWebhooks,
  outgoingWebhooks,
  recordingQueue,
  type Tenant,
} from '../src/index'
import {
  type ConnectedPhoneFixture,
  createTestDatabase,
  createTestTenant,
  insertConnectedPhone,
  type TestDatabase,
  testCreationRules,
  testDialect,
} from '../src/testing/index'

const change = (entryId: string, field: string, value: unknown, time?: number) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: entryId, ...(time ? { time } : {}), changes: [{ value, field }] }],
  })

const messagesValue = (phone: ConnectedPhoneFixture, extra: Record<string, unknown>) => ({
  messaging_product: 'whatsapp',
  metadata: { display_phone_number: '15550100001', phone_number_id: phone.metaPhoneNumberId },
  ...extra,
})

const inboundText = (phone: ConnectedPhoneFixture, id = 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQ') =>
  change(
    phone.metaWabaId,
    'messages',
    messagesValue(phone, {
      contacts: [{ profile: { name: 'Pablo M.' }, wa_id: '16505551234' }],
      messages: [
        {
          from: '16505551234',
          id,
          timestamp: '1750030073',
          type: 'text',
          text: { body: 'Hola \u00e4' },
          future_field: { kept: true },
        },
      ],
    }),
  )

const statusUpdate = (phone: ConnectedPhoneFixture, status: string, id = 'wamid.OUT1') =>
  change(
    phone.metaWabaId,
    'messages',
    messagesValue(phone, {
      statuses: [
        {
          id,
          status,
          timestamp: '1750030080',
          recipient_id: '16505551234',
          pricing: { billable: true, pricing_model: 'PMP', category: 'service' },
          ...(status === 'failed'
            ? { errors: [{ code: 131047, title: 'Re-engagement message' }] }
            : {}),
        },
      ],
    }),
  )

const accountUpdate = (event: string, wabaInfo: Record<string, unknown>, time: number) =>
  change('2949482758682047', 'account_update', { event, waba_info: wabaInfo }, time)

describe('relaying Meta webhooks as events', () => {
  let database: TestDatabase
  let tenant: Tenant
  let phone: ConnectedPhoneFixture
  let queue: ReturnType<typeof recordingQueue>
  beforeEach(async () => {
    queue = recordingQueue()
    database = await createTestDatabase({ queue })
    tenant = await createTestTenant(database.core, { name: 'Org' })
    phone = await insertConnectedPhone(database.core, tenant)
    await outgoingWebhooks.createOutgoingWebhook(
      database.core,
      testCreationRules().webhookTargets,
      tenant,
      {
        url: 'https://example.com/hook',
        events: [
          'message.received',
          'message.sent',
          'message.delivered',
          'message.read',
          'message.failed',
          'phone_number.disconnected',
        ],
      },
    )
  })
  afterEach(async () => {
    await database.close()
  })

  const receive = async (body: string, mode: 'test' | 'live' = 'test') => {
    const stored = await metaWebhooks.storeReceipt(database.core, { mode, body })
    const processed = await metaWebhooks.processReceipt(database.core, stored.receiptId)
    return { stored, processed }
  }
  const events = () =>
    database.core.db.selectFrom('events').selectAll().orderBy('created_at').execute()
  const payloads = async () => (await events()).map((e) => JSON.parse(e.payload))
  const receipt = (id: string) =>
    database.core.db
      .selectFrom('meta_webhook_receipts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()

  it('hands a stored receipt, then its committed deliveries, to ctx.queue', async () => {
    const { stored, processed } = await receive(inboundText(phone))
    expect(queue.handed.receipts).toEqual([stored.receiptId])
    expect(queue.handed.deliveries).toEqual(processed.deliveryIds)
    // Meta retrying a body already processed queues nothing; one still pending is queued again.
    await metaWebhooks.storeReceipt(database.core, { mode: 'test', body: inboundText(phone) })
    const pending = await metaWebhooks.storeReceipt(database.core, {
      mode: 'test',
      body: inboundText(phone, 'wamid.OTHER'),
    })
    await metaWebhooks.storeReceipt(database.core, {
      mode: 'test',
      body: inboundText(phone, 'wamid.OTHER'),
    })
    expect(queue.handed.receipts).toEqual([stored.receiptId, pending.receiptId, pending.receiptId])
  })

  it('turns an inbound message into message.received with our ids beside Meta’s', async () => {
    const { processed } = await receive(inboundText(phone))
    expect(processed).toMatchObject({ outcome: 'processed', eventsRecorded: 1 })
    expect(processed.deliveryIds).toHaveLength(1)
    const [payload] = await payloads()
    expect(payload).toEqual({
      event: 'message.received',
      timestamp: expect.any(String),
      organizationId: tenant.organizationId,
      data: {
        phoneNumberId: phone.phoneId,
        wabaId: phone.wabaId,
        metaPhoneNumberId: phone.metaPhoneNumberId,
        metaWabaId: phone.metaWabaId,
        displayPhoneNumber: '15550100001',
        message: {
          from: '16505551234',
          id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQ',
          timestamp: '1750030073',
          type: 'text',
          text: { body: 'Hola ä' },
          future_field: { kept: true },
        },
        contacts: [{ profile: { name: 'Pablo M.' }, wa_id: '16505551234' }],
      },
    })
    const [event] = await events()
    expect(event?.waba_id).toBe(phone.wabaId)
  })

  it.each([
    ['sent', 'message.sent'],
    ['delivered', 'message.delivered'],
    ['read', 'message.read'],
    ['failed', 'message.failed'],
  ])('turns status %s into %s', async (status, type) => {
    await receive(statusUpdate(phone, status))
    const [payload] = await payloads()
    expect(payload.event).toBe(type)
    expect(payload.data).toMatchObject({
      phoneNumberId: phone.phoneId,
      wabaId: phone.wabaId,
      metaPhoneNumberId: phone.metaPhoneNumberId,
      status: { id: 'wamid.OUT1', status, recipient_id: '16505551234' },
    })
    if (status === 'failed') expect(payload.data.status.errors[0].code).toBe(131047)
  })

  it('notes statuses it does not relay (played) and emits nothing for them', async () => {
    const { stored } = await receive(statusUpdate(phone, 'played'))
    expect(await events()).toEqual([])
    expect((await receipt(stored.receiptId)).note).toContain('status "played" is not relayed')
  })

  it('stores the same body once and relays one event', async () => {
    const body = inboundText(phone)
    const first = await receive(body)
    const second = await receive(body)
    expect(second.stored).toEqual({
      receiptId: first.stored.receiptId,
      duplicate: true,
      pending: false,
    })
    expect(second.processed.outcome).toBe('skipped')
    expect(await events()).toHaveLength(1)
  })

  it('relays one message once even when Meta sends it in two different batches', async () => {
    await receive(inboundText(phone))
    // Same message, another batch: the body differs (an extra field), the item does not.
    const again = JSON.parse(inboundText(phone))
    again.entry[0].changes[0].value.messages[0].extra = 1
    const { processed } = await receive(JSON.stringify(again))
    expect(processed).toMatchObject({ outcome: 'processed', eventsRecorded: 0 })
    // Each step of a status is its own item: sent then delivered are two events.
    await receive(statusUpdate(phone, 'sent'))
    await receive(statusUpdate(phone, 'delivered'))
    const again2 = JSON.parse(statusUpdate(phone, 'delivered'))
    again2.entry[0].time = 1
    await receive(JSON.stringify(again2))
    expect((await payloads()).map((p) => p.event)).toEqual([
      'message.received',
      'message.sent',
      'message.delivered',
    ])
  })

  it('marks an unknown phone’s receipt processed with a note and emits nothing', async () => {
    const unknown = { ...phone, metaPhoneNumberId: '999999999999999' }
    const { stored, processed } = await receive(inboundText(unknown))
    expect(processed.eventsRecorded).toBe(0)
    const row = await receipt(stored.receiptId)
    expect(row.status).toBe('processed')
    expect(row.note).toBe('no connected phone number has Meta id 999999999999999')
    expect(await events()).toEqual([])
  })

  it('routes only within the mode of the app that signed (sandbox-signed never reaches live)', async () => {
    await receive(inboundText(phone), 'live')
    expect(await events()).toEqual([])
  })

  it('routes to exactly one owner: the database refuses a second holder of the WABA, and a moved number goes to the entry’s WABA', async () => {
    const other = await createOrganization(database.core, { name: 'Other' })
    const otherTenant: Tenant = { organizationId: other.organization.id, mode: 'test' }
    const secondHolder = await insertConnectedPhone(database.core, otherTenant, {
      metaPhoneNumberId: phone.metaPhoneNumberId,
      metaWabaId: phone.metaWabaId,
    }).catch((error: unknown) => error)
    expect(isUniqueViolation(secondHolder)).toBe(true)
    // Meta moved the number to another WABA, which the other organisation connected.
    const moved = await insertConnectedPhone(database.core, otherTenant, {
      metaPhoneNumberId: phone.metaPhoneNumberId,
    })
    await outgoingWebhooks.createOutgoingWebhook(
      database.core,
      testCreationRules().webhookTargets,
      otherTenant,
      {
        url: 'https://example.com/other',
        events: ['message.received'],
        wabaId: moved.wabaId,
      },
    )
    const { processed } = await receive(inboundText(phone))
    expect(processed.eventsRecorded).toBe(1)
    expect((await payloads()).map((p) => p.organizationId)).toEqual([tenant.organizationId])
    const { processed: after } = await receive(inboundText(moved, 'wamid.MOVED'))
    expect(after.eventsRecorded).toBe(1)
    expect((await payloads()).map((p) => p.organizationId).sort()).toEqual(
      [tenant.organizationId, otherTenant.organizationId].sort(),
    )
  })

  it('records PARTNER_APP_INSTALLED for a WABA we do not have yet, for a sign-up to claim', async () => {
    const body = accountUpdate(
      'PARTNER_APP_INSTALLED',
      { waba_id: '1191624265890717', owner_business_id: '2329417887457253', partner_app_id: '57' },
      1745337174,
    )
    const { processed } = await receive(body)
    expect(processed.eventsRecorded).toBe(0)
    const install = await metaWebhooks.findInstalledWaba(database.core.db, {
      mode: 'test',
      metaWabaId: '1191624265890717',
    })
    expect(install).toMatchObject({
      status: 'installed',
      lastEvent: 'PARTNER_APP_INSTALLED',
      ownerBusinessId: '2329417887457253',
      partnerAppId: '57',
      installedAt: '2025-04-22T15:52:54.000Z',
    })
    expect(
      await metaWebhooks.findInstalledWaba(database.core.db, {
        mode: 'live',
        metaWabaId: '1191624265890717',
      }),
    ).toBeNull()
    const unclaimed = await metaWebhooks.listUnclaimedInstalls(database.core.db, {
      mode: 'test',
      limit: 10,
    })
    expect(unclaimed.map((i) => i.metaWabaId)).toEqual(['1191624265890717'])
    // PARTNER_ADDED arriving after the install does not downgrade it.
    await receive(accountUpdate('PARTNER_ADDED', { waba_id: '1191624265890717' }, 1745337180))
    const after = await metaWebhooks.findInstalledWaba(database.core.db, {
      mode: 'test',
      metaWabaId: '1191624265890717',
    })
    expect(after).toMatchObject({ status: 'installed', ownerBusinessId: '2329417887457253' })
  })

  it('a late PARTNER_APP_INSTALLED for the claimed install keeps the claim; a reinstall after removal frees it', async () => {
    const metaWabaId = '1191624265890718'
    const installs = () =>
      database.core.db
        .selectFrom('meta_waba_installs')
        .select(['status', 'claimed_by'])
        .where('meta_waba_id', '=', metaWabaId)
        .executeTakeFirstOrThrow()
    await receive(accountUpdate('PARTNER_APP_INSTALLED', { waba_id: metaWabaId }, 1745337174))
    // A completion used the install a minute later.
    await database.core.db
      .updateTable('meta_waba_installs')
      .set({ claimed_by: 'wss_completed', claimed_at: '2025-04-22T15:53:54.000Z' })
      .where('meta_waba_id', '=', metaWabaId)
      .execute()
    // Meta's late copy of that install (another time stamp, still before the claim).
    await receive(accountUpdate('PARTNER_APP_INSTALLED', { waba_id: metaWabaId }, 1745337180))
    expect(await installs()).toEqual({ status: 'installed', claimed_by: 'wss_completed' })

    await receive(accountUpdate('PARTNER_APP_UNINSTALLED', { waba_id: metaWabaId }, 1745400000))
    await receive(accountUpdate('PARTNER_APP_INSTALLED', { waba_id: metaWabaId }, 1745400060))
    expect(await installs()).toEqual({ status: 'installed', claimed_by: null })
  })

  it.each(['PARTNER_REMOVED', 'PARTNER_APP_UNINSTALLED'])(
    '%s disconnects the WABA and its phones and emits phone_number.disconnected',
    async (event) => {
      const { processed } = await receive(
        accountUpdate(event, { waba_id: phone.metaWabaId }, 1750000000),
      )
      expect(processed.eventsRecorded).toBe(1)
      const [payload] = await payloads()
      expect(payload).toMatchObject({
        event: 'phone_number.disconnected',
        organizationId: tenant.organizationId,
        data: {
          phoneNumberId: phone.phoneId,
          phoneNumber: phone.phoneNumber,
          wabaId: phone.wabaId,
          metaWabaId: phone.metaWabaId,
          metaPhoneNumberId: phone.metaPhoneNumberId,
          externalId: 'customer-123',
          reason: event.toLowerCase(),
          disconnectionInfo: null,
        },
      })
      const waba = await database.core.db
        .selectFrom('wabas')
        .select('status')
        .where('id', '=', phone.wabaId)
        .executeTakeFirstOrThrow()
      expect(waba.status).toBe('disconnected')
      const stored = await database.core.db
        .selectFrom('phone_numbers')
        .select('meta_status')
        .where('id', '=', phone.phoneId)
        .executeTakeFirstOrThrow()
      expect(stored.meta_status).toBe('DISCONNECTED')
      // Inbound messages to a disconnected number are no longer relayed; a late, older
      // install event does not bring the WABA back.
      await receive(
        accountUpdate('PARTNER_APP_INSTALLED', { waba_id: phone.metaWabaId }, 1740000000),
      )
      await receive(inboundText(phone))
      expect(await events()).toHaveLength(1)
      expect(
        await metaWebhooks.findInstalledWaba(database.core.db, {
          mode: 'test',
          metaWabaId: phone.metaWabaId,
        }),
      ).toMatchObject({ status: 'removed', lastEvent: event })
    },
  )

  it('stores flagged and restricted numbers so health can show them', async () => {
    const statusOf = async () =>
      (
        await database.core.db
          .selectFrom('phone_numbers')
          .select('meta_status')
          .where('id', '=', phone.phoneId)
          .executeTakeFirstOrThrow()
      ).meta_status
    const quality = (event: string, time: number) =>
      change(
        phone.metaWabaId,
        'phone_number_quality_update',
        { display_phone_number: '15550100001', event, current_limit: 'TIER_1K' },
        time,
      )
    await receive(quality('FLAGGED', 1))
    expect(await statusOf()).toBe('FLAGGED')
    await receive(quality('UNFLAGGED', 2))
    expect(await statusOf()).toBe('CONNECTED')
    await receive(
      change(
        phone.metaWabaId,
        'account_update',
        {
          event: 'ACCOUNT_RESTRICTION',
          restriction_info: [{ restriction_type: 'RESTRICTED_ADD_PHONE_NUMBER_ACTION' }],
        },
        3,
      ),
    )
    expect(await statusOf()).toBe('RESTRICTED')
    expect(await events()).toEqual([])
  })

  it('marks a body that is not a WhatsApp webhook processed, with a note', async () => {
    const { stored, processed } = await receive('{"object":"page","entry":[]}')
    expect(processed.eventsRecorded).toBe(0)
    expect((await receipt(stored.receiptId)).note).toBe('object "page" is not relayed')
    const odd = await receive('[1,2,3]')
    expect((await receipt(odd.stored.receiptId)).note).toBe(
      'the body is not a WhatsApp Business Account webhook',
    )
  })

  it('lets only one of two concurrent processors handle a receipt', async () => {
    const stored = await metaWebhooks.storeReceipt(database.core, {
      mode: 'test',
      body: inboundText(phone),
    })
    const results = await Promise.all([
      metaWebhooks.processReceipt(database.core, stored.receiptId),
      metaWebhooks.processReceipt(database.core, stored.receiptId),
    ])
    expect(results.map((r) => r.outcome).sort()).toEqual(['processed', 'skipped'])
    expect(await events()).toHaveLength(1)
  })

  // Two SQLite handles in one process would block each other's thread (better-sqlite3 waits
  // synchronously for the lock); SQLite's processes take turns through BEGIN IMMEDIATE.
  it.skipIf(testDialect === 'sqlite')(
    'lets two workers with their own connection pools process each receipt once',
    async () => {
      const second = createDb(parseDatabaseUrl(database.databaseUrl))
      try {
        const other = { ...database.core, db: second }
        const receipts = await Promise.all(
          ['wamid.A', 'wamid.B', 'wamid.C', 'wamid.D'].map((id) =>
            metaWebhooks.storeReceipt(database.core, {
              mode: 'test',
              body: inboundText(phone, id),
            }),
          ),
        )
        const results = await Promise.all(
          receipts.flatMap((stored) => [
            metaWebhooks.processReceipt(database.core, stored.receiptId),
            metaWebhooks.processReceipt(other, stored.receiptId),
          ]),
        )
        expect(results.filter((r) => r.outcome === 'processed')).toHaveLength(4)
        expect(results.filter((r) => r.outcome === 'skipped')).toHaveLength(4)
        expect(await events()).toHaveLength(4)
      } finally {
        await second.destroy()
      }
    },
  )

  it('lists pending receipts for the sweeper and fails one after repeated errors', async () => {
    const stored = await metaWebhooks.storeReceipt(database.core, { mode: 'test', body: '{}' })
    const later = new Date(Date.now() + 60_000)
    expect(
      await metaWebhooks.findPendingReceipts(database.core, { receivedBefore: later, limit: 10 }),
    ).toEqual([stored.receiptId])
    for (let i = 1; i < metaWebhooks.MAX_RECEIPT_ATTEMPTS; i++) {
      expect(await metaWebhooks.recordReceiptFailure(database.core, stored.receiptId, 'boom')).toBe(
        'retry',
      )
    }
    expect(await metaWebhooks.recordReceiptFailure(database.core, stored.receiptId, 'boom')).toBe(
      'failed',
    )
    expect((await receipt(stored.receiptId)).status).toBe('failed')
    expect(
      await metaWebhooks.findPendingReceipts(database.core, { receivedBefore: later, limit: 10 }),
    ).toEqual([])
  })
})

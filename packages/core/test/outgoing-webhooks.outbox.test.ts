import type { SendResult } from '@onboard/webhooks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createOrganization,
  createOutgoingWebhookForLink,
  encryptSecret,
  outgoingWebhooks,
  recordEvent,
  type Tenant,
} from '../src/index'
import {
  createTestDatabase,
  createTestTenant,
  insertConnectedPhone,
  type TestDatabase,
  testCreationRules,
} from '../src/testing/index'
import { failed, ok, policy } from './support/attempts'

const rules = testCreationRules()

describe('the outbox and attempt bookkeeping', () => {
  let database: TestDatabase
  let tenant: Tenant
  beforeEach(async () => {
    database = await createTestDatabase()
    tenant = await createTestTenant(database.core, { name: 'Org' })
  })
  afterEach(async () => {
    await database.close()
  })

  const endpoint = (events: string[], wabaId?: string) =>
    outgoingWebhooks.createOutgoingWebhook(database.core, rules.webhookTargets, tenant, {
      url: 'https://example.com/hook',
      events: events as never,
      ...(wabaId ? { wabaId } : {}),
    })

  it('writes one delivery per enabled endpoint matching the event type and WABA scope', async () => {
    const waba1 = (await insertConnectedPhone(database.core, tenant)).wabaId
    const waba2 = (await insertConnectedPhone(database.core, tenant)).wabaId
    const all = await endpoint(['phone_number.connected'])
    const scoped = await endpoint(['phone_number.connected'], waba1)
    await endpoint(['phone_number.connected'], waba2)
    await endpoint(['message.received'])
    const disabled = await endpoint(['phone_number.connected'])
    await outgoingWebhooks.updateOutgoingWebhook(
      database.core,
      rules.webhookTargets,
      tenant,
      disabled.id,
      {
        enabled: false,
      },
    )
    const other = await createOrganization(database.core, { name: 'Other' })
    await outgoingWebhooks.createOutgoingWebhook(
      database.core,
      rules.webhookTargets,
      { organizationId: other.organization.id, mode: 'test' },
      { url: 'https://example.com/x', events: ['phone_number.connected'] },
    )
    await outgoingWebhooks.createOutgoingWebhook(
      database.core,
      rules.webhookTargets,
      { ...tenant, mode: 'live' },
      {
        url: 'https://example.com/x',
        events: ['phone_number.connected'],
      },
    )

    const recorded = await database.core.db.transaction().execute((trx) =>
      recordEvent(trx, {
        tenant,
        type: 'phone_number.connected',
        data: { a: 1 },
        wabaId: waba1,
      }),
    )
    const rows = await database.core.db
      .selectFrom('webhook_deliveries')
      .select(['id', 'endpoint_id', 'status'])
      .where('event_id', '=', recorded.eventId)
      .execute()
    expect(rows.map((r) => r.endpoint_id).sort()).toEqual([all.id, scoped.id].sort())
    expect(rows.map((r) => r.id).sort()).toEqual([...recorded.deliveryIds].sort())
    expect(recorded.deliveryIds.every((id) => /^msg_/.test(id))).toBe(true)
    const event = await database.core.db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', recorded.eventId)
      .executeTakeFirstOrThrow()
    expect(JSON.parse(event.payload)).toEqual({
      event: 'phone_number.connected',
      timestamp: event.created_at,
      organizationId: tenant.organizationId,
      data: { a: 1 },
    })
  })

  it('writes nothing when the surrounding transaction rolls back', async () => {
    await endpoint(['phone_number.connected'])
    await expect(
      database.core.db.transaction().execute(async (trx) => {
        await recordEvent(trx, { tenant, type: 'phone_number.connected', data: {} })
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    const count = await database.core.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(0)
  })

  it('auto-registers a link webhook that receives the event recorded after it', async () => {
    const link = {
      id: 'link-1',
      organization_id: tenant.organizationId,
      mode: 'test' as const,
      webhook_url: 'https://myapp.com/webhooks/whatsapp',
      webhook_secret_enc: encryptSecret(database.core.keyring, 'whsec_my_secret_key_123'),
      webhook_events: JSON.stringify(['phone_number.connected', 'message.received']),
    }
    const result = await database.core.db.transaction().execute(async (trx) => {
      const created = await createOutgoingWebhookForLink(trx, {
        link,
        wabaId: 'waba-9',
        keyring: database.core.keyring,
      })
      const recorded = await recordEvent(trx, {
        tenant,
        type: 'phone_number.connected',
        data: {},
        wabaId: 'waba-9',
      })
      return { created, recorded }
    })
    expect(result.recorded.deliveryIds).toHaveLength(1)
    const webhook = await outgoingWebhooks.getOutgoingWebhook(
      database.core,
      tenant,
      result.created?.id ?? '',
    )
    expect(webhook).toMatchObject({
      url: link.webhook_url,
      wabaId: 'waba-9',
      onboardingLinkId: 'link-1',
      events: ['phone_number.connected', 'message.received'],
    })
    const work = await outgoingWebhooks.loadDeliveryWork(
      database.core,
      result.recorded.deliveryIds[0] ?? '',
    )
    expect(work?.secrets).toEqual(['whsec_my_secret_key_123'])
    expect(
      await createOutgoingWebhookForLink(database.core.db, {
        link: { ...link, webhook_url: null },
        wabaId: 'w',
        keyring: database.core.keyring,
      }),
    ).toBeNull()
  })

  async function oneDelivery(events = ['phone_number.connected']) {
    const created = await endpoint(events)
    const recorded = await recordEvent(database.core.db, {
      tenant,
      type: 'phone_number.connected',
      data: {},
    })
    const id = recorded.deliveryIds[0] ?? ''
    const load = async () => {
      const work = await outgoingWebhooks.loadDeliveryWork(database.core, id)
      if (!work) throw new Error('no work')
      return work
    }
    return { endpointId: created.id, id, load }
  }

  it('retries on the schedule, then fails for good after the last attempt', async () => {
    const { id, load } = await oneDelivery()
    const settle = async (result: SendResult) =>
      outgoingWebhooks.settleAttempt(database.core, await load(), result, policy, new Date())
    expect(await settle(failed(500))).toEqual({ kind: 'retry', delayMs: 1000 })
    expect(await settle(failed(null, 'ECONNREFUSED'))).toEqual({ kind: 'retry', delayMs: 2000 })
    expect(await settle(failed(500))).toEqual({ kind: 'failed' })
    const [delivery] = (
      await outgoingWebhooks.listDeliveries(database.core, tenant, (await load()).endpointId, {
        page: 1,
        limit: 10,
      })
    ).data
    expect(delivery).toMatchObject({ id, status: 'failed', attemptCount: 3, lastError: 'HTTP 500' })
    expect(delivery?.attempts.map((a) => a.httpStatus)).toEqual([500, null, 500])
  })

  it('records success, and a replay is one manual attempt whose outcome is final', async () => {
    const { endpointId, id, load } = await oneDelivery()
    await outgoingWebhooks.settleAttempt(database.core, await load(), ok, policy, new Date())
    const replay = await outgoingWebhooks.retryDelivery(database.core, tenant, endpointId, id)
    expect(replay).toMatchObject({ enqueue: 'add', delivery: { status: 'pending' } })
    const work = await load()
    expect(work.manual).toBe(true)
    expect(
      await outgoingWebhooks.settleAttempt(database.core, work, failed(500), policy, new Date()),
    ).toEqual({ kind: 'failed' })
    const delivery = await outgoingWebhooks.getDelivery(database.core, tenant, endpointId, id)
    expect(delivery.attempts.map((a) => a.trigger)).toEqual(['scheduled', 'manual'])
  })

  it('disables the endpoint on 410, and after failing for WEBHOOK_DISABLE_AFTER', async () => {
    const gone = await oneDelivery()
    const settled = await outgoingWebhooks.settleAttempt(
      database.core,
      await gone.load(),
      failed(410),
      policy,
      new Date(),
    )
    expect(settled.kind).toBe('endpoint_disabled')
    expect(
      await outgoingWebhooks.getOutgoingWebhook(database.core, tenant, gone.endpointId),
    ).toMatchObject({ enabled: false, disabledReason: 'gone' })

    const failing = await oneDelivery()
    const start = new Date('2026-01-01T00:00:00Z')
    database.setNow(start)
    const shortPolicy = { ...policy, retryDelaysMs: [1, 1, 1, 1], disableAfterMs: 3_600_000 }
    await outgoingWebhooks.settleAttempt(
      database.core,
      await failing.load(),
      failed(500),
      shortPolicy,
      start,
    )
    expect(
      await outgoingWebhooks.getOutgoingWebhook(database.core, tenant, failing.endpointId),
    ).toMatchObject({ enabled: true, failingSince: start.toISOString() })
    const later = new Date(start.getTime() + 3_600_000)
    database.setNow(later)
    const result = await outgoingWebhooks.settleAttempt(
      database.core,
      await failing.load(),
      failed(500),
      shortPolicy,
      later,
    )
    expect(result.kind).toBe('endpoint_disabled')
    const read = await outgoingWebhooks.getOutgoingWebhook(
      database.core,
      tenant,
      failing.endpointId,
    )
    expect(read).toMatchObject({ enabled: false, disabledReason: 'failing' })
    expect(read.disabledMessage).toContain(
      'Every delivery attempt failed from 2026-01-01T00:00:00.000Z',
    )
  })

  it('finds overdue pending deliveries for the relay, oldest first', async () => {
    const first = await oneDelivery()
    const ids = await outgoingWebhooks.findOverdueDeliveries(database.core, {
      dueBefore: new Date(Date.now() + 1000),
      limit: 10,
    })
    expect(ids.map((row) => row.id)).toEqual([first.id])
    await outgoingWebhooks.settleAttempt(database.core, await first.load(), ok, policy, new Date())
    expect(
      await outgoingWebhooks.findOverdueDeliveries(database.core, {
        dueBefore: new Date(Date.now() + 1000),
        limit: 10,
      }),
    ).toEqual([])
  })

  it('settles many attempts in one transaction, each as settleAttempt would, all or nothing', async () => {
    const delivered = await oneDelivery()
    const retried = await oneDelivery()
    const gone = { ...(await delivered.load()), deliveryId: 'msg_missing' }
    const at = new Date()
    expect(
      await outgoingWebhooks.settleAttempts(
        database.core,
        [
          { work: await delivered.load(), result: ok, attemptedAt: at },
          { work: await retried.load(), result: failed(500), attemptedAt: at },
          { work: gone, result: ok, attemptedAt: at },
        ],
        policy,
      ),
    ).toEqual([{ kind: 'delivered' }, { kind: 'retry', delayMs: 1000 }, { kind: 'gone' }])
    expect(await delivered.load()).toMatchObject({ status: 'delivered', attempts: 1 })
    expect(await retried.load()).toMatchObject({ status: 'pending', attempts: 1 })

    // A write that fails rolls the whole batch back: the good attempt beside it is not
    // recorded either, so no job may be completed for it.
    const pending = await oneDelivery()
    const broken = { ...ok, durationMs: null as unknown as number }
    await expect(
      outgoingWebhooks.settleAttempts(
        database.core,
        [
          { work: await pending.load(), result: ok, attemptedAt: at },
          { work: await retried.load(), result: broken, attemptedAt: at },
        ],
        policy,
      ),
    ).rejects.toThrow()
    expect(await pending.load()).toMatchObject({ status: 'pending', attempts: 0 })
    expect(await retried.load()).toMatchObject({ status: 'pending', attempts: 1 })
  })
})

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { outgoingWebhooks, recordEvent, type Tenant } from '../src/index'
import {
  createTestDatabase,
  createTestTenant,
  type TestDatabase,
  testCreationRules,
} from '../src/testing/index'
import { failed, ok, policy } from './support/attempts'

const rules = testCreationRules()

describe('reading deliveries for the worker', () => {
  let database: TestDatabase
  let tenant: Tenant
  beforeEach(async () => {
    database = await createTestDatabase()
    tenant = await createTestTenant(database.core, { name: 'Org' })
  })
  afterEach(async () => {
    await database.close()
  })

  async function endpointWithDeliveries(count: number, secret = 'whsec_my_secret_key_123') {
    const created = await outgoingWebhooks.createOutgoingWebhook(
      database.core,
      rules.webhookTargets,
      tenant,
      {
        url: 'https://example.com/hook',
        events: ['phone_number.connected'],
        secret,
      },
    )
    const ids: string[] = []
    for (let i = 0; i < count; i++) {
      const recorded = await recordEvent(database.core.db, {
        tenant,
        type: 'phone_number.connected',
        data: { i },
      })
      ids.push(...recorded.deliveryIds)
    }
    return { endpointId: created.id, ids }
  }

  const load = async (id: string) => {
    const work = await outgoingWebhooks.loadDeliveryWork(database.core, id)
    if (!work) throw new Error(`no delivery ${id}`)
    return work
  }

  it('reads many deliveries in one call, in the order asked, null for an unknown id', async () => {
    const { endpointId, ids } = await endpointWithDeliveries(3)
    const [a, b, c] = ids as [string, string, string]
    const works = await outgoingWebhooks.loadDeliveryWorks(database.core, [c, 'msg_nope', a, b, a])
    expect(works.map((work) => work?.deliveryId ?? null)).toEqual([c, null, a, b, a])
    expect(works[0]).toMatchObject({
      endpointId,
      status: 'pending',
      attempts: 0,
      manual: false,
      url: 'https://example.com/hook',
      endpointEnabled: true,
      secrets: ['whsec_my_secret_key_123'],
    })
    expect(JSON.parse(works[0]?.payload ?? '{}')).toMatchObject({ data: { i: 2 } })
    expect(await outgoingWebhooks.loadDeliveryWorks(database.core, [])).toEqual([])
  })

  it('reads what settled attempts wrote (statements compiled once, new values each time)', async () => {
    const { ids } = await endpointWithDeliveries(2)
    const [first, second] = ids as [string, string]
    const at = new Date()
    await outgoingWebhooks.settleAttempts(
      database.core,
      [
        { work: await load(first), result: ok, attemptedAt: at },
        {
          work: await load(second),
          result: failed(500),
          attemptedAt: at,
        },
      ],
      policy,
    )
    expect(await load(first)).toMatchObject({ status: 'delivered', attempts: 1 })
    expect(await load(second)).toMatchObject({ status: 'pending', attempts: 1 })
    const delivery = await outgoingWebhooks.getDelivery(
      database.core,
      tenant,
      (await load(second)).endpointId,
      second,
    )
    expect(delivery).toMatchObject({ lastError: 'HTTP 500', attemptCount: 1 })
    expect(delivery.attempts).toMatchObject([{ httpStatus: 500, trigger: 'scheduled' }])
  })

  it('records every attempt of a batch that names one delivery more than once, in order', async () => {
    const { ids } = await endpointWithDeliveries(3)
    const [twice, other, third] = ids as [string, string, string]
    const at = new Date()
    const work = await load(twice)
    const settled = await outgoingWebhooks.settleAttempts(
      database.core,
      [
        { work, result: failed(500), attemptedAt: at },
        { work: await load(other), result: failed(503), attemptedAt: at },
        { work, result: ok, attemptedAt: at },
        { work: await load(third), result: ok, attemptedAt: at },
        { work, result: ok, attemptedAt: at },
      ],
      policy,
    )
    expect(settled.map((outcome) => outcome.kind)).toEqual([
      'retry',
      'retry',
      'delivered',
      'delivered',
      'delivered',
    ])
    expect(await load(twice)).toMatchObject({ status: 'delivered', attempts: 3 })
    expect(await load(other)).toMatchObject({ status: 'pending', attempts: 1 })
    expect(await load(third)).toMatchObject({ status: 'delivered', attempts: 1 })
    const delivery = await outgoingWebhooks.getDelivery(
      database.core,
      tenant,
      work.endpointId,
      twice,
    )
    expect(delivery).toMatchObject({ status: 'delivered', attemptCount: 3, lastError: null })
    expect(delivery.attempts.map((attempt) => attempt.httpStatus).sort()).toEqual([200, 200, 500])
  })

  it('signs with the new secret at once after a rotation, and drops the old one when it expires', async () => {
    const { endpointId, ids } = await endpointWithDeliveries(1, 'whsec_first_secret_123')
    const id = ids[0] ?? ''
    // Read once, so the first secret is in the worker's cache of decrypted secrets.
    expect((await load(id)).secrets).toEqual(['whsec_first_secret_123'])
    await outgoingWebhooks.rotateOutgoingWebhookSecret(database.core, tenant, endpointId, {
      secret: 'whsec_second_secret_456',
    })
    expect((await load(id)).secrets).toEqual(['whsec_second_secret_456', 'whsec_first_secret_123'])
    await outgoingWebhooks.rotateOutgoingWebhookSecret(database.core, tenant, endpointId, {
      secret: 'whsec_third_secret_789',
    })
    expect((await load(id)).secrets).toEqual(['whsec_third_secret_789', 'whsec_second_secret_456'])
    database.setNow(new Date(Date.now() + 25 * 3600 * 1000))
    expect((await load(id)).secrets).toEqual(['whsec_third_secret_789'])
  })

  it('sees an endpoint disabled after its secret was cached', async () => {
    const { endpointId, ids } = await endpointWithDeliveries(1)
    const id = ids[0] ?? ''
    expect((await load(id)).endpointEnabled).toBe(true)
    await outgoingWebhooks.updateOutgoingWebhook(
      database.core,
      rules.webhookTargets,
      tenant,
      endpointId,
      {
        enabled: false,
      },
    )
    expect(await load(id)).toMatchObject({ endpointEnabled: false })
  })
})

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  AppError,
  outgoingWebhooks,
  recordingQueue,
  type Tenant,
  type WorkQueue,
} from '../src/index'
import type { SignupFacts } from '../src/signup-completion/graph-steps'
import { persistConnection } from '../src/signup-completion/persist'
import type { MarkResult, SignupTarget } from '../src/signup-target'
import {
  createTestDatabase,
  createTestTenant,
  type TestDatabase,
  testCreationRules,
} from '../src/testing/index'

const rules = testCreationRules()

function factsFor(metaWabaId: string): SignupFacts {
  const phone = {
    id: `${metaWabaId}1`,
    displayPhoneNumber: '+54 9 11 5555-1234',
    verifiedName: 'Acme',
    qualityRating: 'GREEN',
    codeVerificationStatus: 'VERIFIED',
    platformType: 'CLOUD_API',
    status: 'CONNECTED',
    nameStatus: 'APPROVED',
  }
  return {
    token: { accessToken: 'token', expiresAt: null },
    waba: { id: metaWabaId, name: 'Acme', currency: 'USD', timezoneId: '1', ownerBusiness: null },
    businessId: null,
    phones: [phone],
    chosen: phone,
    isCoexistence: false,
    subscriptionError: null,
    registration: { pin: '123456', error: null },
  }
}

/**
 * "After commit" is core's own job: a completion hands its phone_number.connected deliveries
 * to ctx.queue once they are committed, and a completion that rolls back hands nothing.
 */
describe('a completion hands its deliveries to ctx.queue after commit', () => {
  let database: TestDatabase
  let tenant: Tenant
  let endpointId: string
  /** Delivery ids handed, each with whether it was readable (committed) at that moment. */
  let handed: { id: string; committed: boolean }[]
  beforeEach(async () => {
    handed = []
    const queue: WorkQueue = {
      ...recordingQueue(),
      deliveries: async (ids) => {
        // Read through the ordinary connection: only committed rows are there.
        const listed = await outgoingWebhooks.listDeliveries(database.core, tenant, endpointId, {
          page: 1,
          limit: 10,
        })
        const visible = new Set(listed.data.map((delivery) => delivery.id))
        handed.push(...ids.map((id) => ({ id, committed: visible.has(id) })))
      },
    }
    database = await createTestDatabase({ queue })
    tenant = await createTestTenant(database.core)
    endpointId = (
      await outgoingWebhooks.createOutgoingWebhook(database.core, rules.webhookTargets, tenant, {
        url: 'https://example.com/hook',
        events: ['phone_number.connected'],
      })
    ).id
  })
  afterEach(async () => {
    await database.close()
  })

  const target = (marks: MarkResult): SignupTarget => ({
    id: null,
    tenant,
    metadata: null,
    externalId: null,
    onboardingLinkId: null,
    preVerifiedPhoneIds: [],
    eventFields: {},
    markCompleted: async () => marks,
    alreadyCompleted: () => new AppError('already_completed', 409, 'Already completed.'),
    notFound: () => new AppError('not_found', 404, 'Gone.'),
  })

  it('hands the committed delivery ids', async () => {
    const connection = await persistConnection(
      database.core,
      target('marked'),
      factsFor('1001'),
      null,
    )
    expect(connection.deliveryIds).toHaveLength(1)
    expect(handed).toEqual([{ id: connection.deliveryIds[0], committed: true }])
  })

  it('hands nothing when the transaction rolls back', async () => {
    await expect(
      persistConnection(database.core, target('no_longer_pending'), factsFor('1002'), null),
    ).rejects.toMatchObject({ code: 'already_completed' })
    await persistConnection(database.core, target('marked'), factsFor('1003'), null)
    handed = []
    // The WABA is connected now: a second completion for it fails inside its transaction.
    await expect(
      persistConnection(database.core, target('marked'), factsFor('1003'), null),
    ).rejects.toMatchObject({ code: 'waba_already_connected' })
    expect(handed).toEqual([])
    const listed = await outgoingWebhooks.listDeliveries(database.core, tenant, endpointId, {
      page: 1,
      limit: 10,
    })
    expect(listed.data).toHaveLength(1)
  })
})

describe('other committed work goes to ctx.queue', () => {
  let database: TestDatabase
  let tenant: Tenant
  const queue = recordingQueue()
  beforeEach(async () => {
    queue.handed.deliveries.length = 0
    queue.handed.now.length = 0
    database = await createTestDatabase({ queue })
    tenant = await createTestTenant(database.core)
  })
  afterEach(async () => {
    await database.close()
  })

  it('a test event, a retry of a pending delivery (now) and a replay (a new job)', async () => {
    const endpoint = await outgoingWebhooks.createOutgoingWebhook(
      database.core,
      rules.webhookTargets,
      tenant,
      { url: 'https://example.com/hook', events: ['phone_number.connected'] },
    )
    const delivery = await outgoingWebhooks.sendTestEvent(database.core, tenant, endpoint.id)
    expect(queue.handed.deliveries).toEqual([delivery.id])

    await outgoingWebhooks.retryDelivery(database.core, tenant, endpoint.id, delivery.id)
    expect(queue.handed.now).toEqual([delivery.id])

    await database.core.db
      .updateTable('webhook_deliveries')
      .set({ status: 'delivered' })
      .where('id', '=', delivery.id)
      .execute()
    await outgoingWebhooks.retryDelivery(database.core, tenant, endpoint.id, delivery.id)
    expect(queue.handed.deliveries).toEqual([delivery.id, delivery.id])
    expect(queue.handed.now).toEqual([delivery.id])
  })
})

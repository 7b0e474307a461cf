import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData } from './support/responses'
import { completeWith, createLink } from './support/signup'

describe('signing up a WABA again after it was disconnected', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  it('reconnects the same WABA and phone ids instead of refusing it', async () => {
    const first = await createLink(api, org.test)
    expect((await completeWith(api, first.id, 'success', { sharedWaba: true })).res.status).toBe(
      200,
    )
    const connected = await readData(
      await api.request(`/v1/onboarding-links/${first.id}`, { key: org.test }),
      'link',
    )
    const wabaId = connected.wabaId
    if (wabaId === null) throw new Error('the completed link names no WABA')

    // What PARTNER_REMOVED does to our rows (see packages/core/src/meta-webhooks).
    await api.core.db
      .updateTable('wabas')
      .set({ status: 'disconnected' })
      .where('id', '=', wabaId)
      .execute()

    const second = await createLink(api, org.test, { externalId: 'customer-456' })
    const { res, body } = await completeWith(api, second.id, 'success', { sharedWaba: true })
    expect(res.status).toBe(200)
    expect(body.data.status).toBe('success')
    const reconnected = await readData(
      await api.request(`/v1/onboarding-links/${second.id}`, { key: org.test }),
      'link',
    )
    expect(reconnected.status).toBe('completed')
    expect(reconnected.wabaId).toBe(connected.wabaId)
    expect(reconnected.phoneNumberId).toBe(connected.phoneNumberId)

    const waba = await readData(
      await api.request(`/v1/wabas/${connected.wabaId}`, { key: org.test }),
      'waba',
    )
    expect(waba.status).toBe('connected')
    const phone = await readData(
      await api.request(`/v1/phones/${connected.phoneNumberId}`, { key: org.test }),
      'phoneDetail',
    )
    expect(phone.onboardingLinkId).toBe(second.id)
    expect(phone.externalId).toBe('customer-456')
    const counts = await api.core.db
      .selectFrom('wabas')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(counts.n)).toBe(1)

    // Connected again, a third sign-up of the same WABA is refused as before.
    const third = await createLink(api, org.test)
    const refused = await completeWith(api, third.id, 'success', { sharedWaba: true })
    expect(refused.body.error.code).toBe('waba_already_connected')
  })
})

import { beforeAll, describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError, readList } from './support/responses'
import { completeWith, createLink } from './support/signup'

describe('phones', () => {
  const api = useTestApi()
  const org = useOrganization(api)
  const other = useOrganization(api, { name: 'Other' })
  let link: { phoneNumberId: string; wabaId: string; phoneNumber: string }
  beforeAll(async () => {
    const created = await createLink(api, org.test, { metadata: { store: 'store-01' } })
    await completeWith(api, created.id, 'success', { health: 'LIMITED' })
    const { phoneNumberId, wabaId, phoneNumber } = await readData(
      await api.request(`/v1/onboarding-links/${created.id}`, { key: org.test }),
      'link',
    )
    if (phoneNumberId === null || wabaId === null || phoneNumber === null) {
      throw new Error('the completed link names no phone or no WABA')
    }
    link = { phoneNumberId, wabaId, phoneNumber }
  })

  it('lists connected phones, newest first, with pagination', async () => {
    const second = await createLink(api, org.test)
    await completeWith(api, second.id, 'success')
    const res = await api.request('/v1/phones?limit=1', { key: org.test })
    expect(res.status).toBe(200)
    const body = await readList(res, 'phone')
    expect(body.pagination).toEqual({ page: 1, limit: 1, total: 2, hasMore: true })
    expect(body.data).toHaveLength(1)
    expect(body.data[0]?.id).not.toBe(link.phoneNumberId)
    const page2 = await readList(
      await api.request('/v1/phones?limit=1&page=2', { key: org.test }),
      'phone',
    )
    expect(page2.data[0]).toMatchObject({
      id: link.phoneNumberId,
      phoneNumber: link.phoneNumber,
      metadata: { store: 'store-01' },
    })
    expect(page2.data[0]).not.toHaveProperty('connectedAccount')
  })

  it('hides phones from other organisations and from the other mode', async () => {
    for (const key of [other.test, org.live]) {
      expect(
        (await readList(await api.request('/v1/phones', { key }), 'phone')).pagination.total,
      ).toBe(0)
      for (const path of [
        `/v1/phones/${link.phoneNumberId}`,
        `/v1/phones/${link.phoneNumberId}/health`,
      ]) {
        const res = await api.request(path, { key })
        expect(res.status).toBe(404)
        expect((await readError(res)).code).toBe('not_found')
      }
    }
    expect((await api.request('/v1/phones')).status).toBe(401)
  })

  it('derives health issues from Meta’s health_status', async () => {
    const res = await api.request(`/v1/phones/${link.phoneNumberId}/health`, { key: org.test })
    const data = await readData(res, 'phoneHealth')
    expect(data.capabilities).toMatchObject({
      canSendMessages: true,
      canReceiveMessages: true,
      isMessagingLimited: true,
    })
    expect(data.status).toBe('limited')
    expect(data.meta).toMatchObject({ canSendMessage: 'LIMITED', isLive: true })
    expect(data.issues).toEqual([
      expect.objectContaining({
        code: 'meta_phone_number_limited',
        severity: 'warning',
        source: 'meta_health',
        message: expect.stringContaining('display name'),
      }),
    ])
  })

  it('falls back to the stored answer with graphLookupErrors when Meta cannot be reached', async () => {
    // The sandbox forgets every signup (and its token) it no longer retains.
    await api.sandbox.state.forgetTokens()
    const data = await readData(
      await api.request(`/v1/phones/${link.phoneNumberId}/health`, { key: org.test }),
      'phoneHealth',
    )
    expect(data.meta.isLive).toBe(false)
    expect(data.meta.canSendMessage).toBe('LIMITED')
    expect(data.graphLookupErrors.map((e) => e.operation).sort()).toEqual([
      'getPhoneHealth',
      'getSubscribedApps',
    ])
    expect(data.capabilities.canReceiveMessages).toBe(true)
  })

  /** A fresh connected phone; `health` picks the sandbox's health_status for it. */
  const connectPhone = async (health: 'AVAILABLE' | 'BLOCKED') => {
    const created = await createLink(api, org.test)
    const { result } = await completeWith(api, created.id, 'success', { health })
    const { phoneNumberId } = await readData(
      await api.request(`/v1/onboarding-links/${created.id}`, { key: org.test }),
      'link',
    )
    if (phoneNumberId === null) throw new Error('the completed link names no phone')
    return { phoneNumberId, metaWabaId: result.event.data.waba_id as string }
  }
  const healthOf = async (phoneNumberId: string) =>
    readData(
      await api.request(`/v1/phones/${phoneNumberId}/health`, { key: org.test }),
      'phoneHealth',
    )

  // Every new Tech Provider customer starts like this: the WABA is BLOCKED by Meta's
  // payment-method error until a payment method is added. Sending waits; receiving works.
  it('reports a payment-method block (141006) as stopping sending, not receiving', async () => {
    const { phoneNumberId } = await connectPhone('BLOCKED')
    const data = await healthOf(phoneNumberId)
    expect(data.meta.entities).toContainEqual(
      expect.objectContaining({ entityType: 'WABA', canSendMessage: 'BLOCKED' }),
    )
    expect(data.capabilities).toMatchObject({
      canSendMessages: false,
      canReceiveMessages: true,
      isRegistered: true,
      isWebhookSubscribed: true,
    })
    expect(data.status).toBe('not_ready')
    expect(data.issues).toContainEqual(
      expect.objectContaining({
        code: 'meta_error_141006',
        severity: 'error',
        metaErrorCode: 141006,
        possibleSolution: expect.stringContaining('payment method'),
      }),
    )
  })

  it('cannot receive when our app is not subscribed to the WABA, though it can send', async () => {
    const { phoneNumberId, metaWabaId } = await connectPhone('AVAILABLE')
    await api.sandbox.state.updateWaba(
      metaWabaId,
      (waba) => ({ ...waba, subscribedApps: {} }),
      Date.now(),
    )
    const data = await healthOf(phoneNumberId)
    expect(data.capabilities).toMatchObject({
      canSendMessages: true,
      canReceiveMessages: false,
      isWebhookSubscribed: false,
    })
    expect(data.issues.map((i: { code: string }) => i.code)).toContain('webhook_not_subscribed')
  })

  it('can neither send nor receive when Meta banned the number, payment block or not', async () => {
    for (const health of ['AVAILABLE', 'BLOCKED'] as const) {
      const { phoneNumberId } = await connectPhone(health)
      // What an account_update DISABLED_UPDATE webhook leaves on the phone.
      await api.core.db
        .updateTable('phone_numbers')
        .set({ meta_status: 'BANNED' })
        .where('id', '=', phoneNumberId)
        .execute()
      const data = await healthOf(phoneNumberId)
      expect(data.capabilities).toMatchObject({ canSendMessages: false, canReceiveMessages: false })
      expect(data.status).toBe('not_ready')
      expect(data.issues.map((i: { code: string }) => i.code)).toContain('phone_banned')
    }
  })
})

import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readList } from './support/responses'
import { completeWith, createLink } from './support/signup'

describe('signup completion: happy paths over HTTP', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  it('connects the number and shows it on the link, phone, health and WABA reads', async () => {
    const link = await createLink(api, org.test, {
      metadata: { crmAccountId: 'crm_789' },
      redirectUrl: 'https://myapp.com/whatsapp/callback?tenant=7',
    })
    const { res, body, result } = await completeWith(api, link.id, 'success')
    expect(res.status).toBe(200)
    expect(body.data.status).toBe('success')
    const redirect = new URL(body.data.redirectUrl)
    expect(redirect.origin + redirect.pathname).toBe('https://myapp.com/whatsapp/callback')
    expect(Object.fromEntries(redirect.searchParams)).toEqual({
      tenant: '7',
      onboarding_link_id: link.id,
      external_id: 'customer-123',
      status: 'success',
    })

    const got = await readData(
      await api.request(`/v1/onboarding-links/${link.id}`, { key: org.test }),
      'link',
    )
    expect(got.status).toBe('completed')
    expect(got.phoneNumber).toMatch(/^\+\d{8,15}$/)
    expect(got.isPhoneRegistered).toBe(true)
    expect(got.completedAt).not.toBeNull()
    expect(got.lastError).toBeNull()
    const listed = (
      await readList(await api.request('/v1/onboarding-links', { key: org.test }), 'link')
    ).data
    expect(listed[0]).toMatchObject({
      id: link.id,
      phoneNumber: got.phoneNumber,
      isPhoneRegistered: true,
    })

    const phoneId = got.phoneNumberId
    if (phoneId === null) throw new Error('the completed link names no phone')
    const phone = await readData(
      await api.request(`/v1/phones/${phoneId}`, { key: org.test }),
      'phoneDetail',
    )
    expect(phone).toMatchObject({
      id: got.phoneNumberId,
      phoneNumber: got.phoneNumber,
      metaPhoneNumberId: result.event.data.phone_number_id,
      wabaId: got.wabaId,
      metaWabaId: result.event.data.waba_id,
      isRegistered: true,
      metadata: { crmAccountId: 'crm_789' },
      onboardingLinkId: link.id,
      isTestProfile: true,
    })
    expect(phone.connectedAccount.source).toBe('embedded_signup')

    const health = await readData(
      await api.request(`/v1/phones/${phoneId}/health`, { key: org.test }),
      'phoneHealth',
    )
    expect(health.capabilities).toMatchObject({
      canSendMessages: true,
      canReceiveMessages: true,
      isRegistered: true,
      isWebhookSubscribed: true,
    })
    expect(health.issues).toEqual([])
    expect(health.status).toBe('ready')

    const connection = await readData(
      await api.request(`/v1/wabas/${got.wabaId}/connection`, { key: org.test }),
      'wabaConnection',
    )
    expect(connection.waba).toMatchObject({ id: got.wabaId, metaWabaId: result.event.data.waba_id })
    expect(connection.connectedAccount).toMatchObject({
      source: 'embedded_signup',
      graphLookupErrors: [],
      waba: { id: got.wabaId },
    })
    expect(connection.phones.map((p) => p.id)).toEqual([got.phoneNumberId])

    // The PIN and token are stored encrypted, never in the clear.
    const stored = await api.core.db
      .selectFrom('phone_numbers')
      .select(['pin_enc'])
      .where('id', '=', phoneId)
      .executeTakeFirstOrThrow()
    expect(stored.pin_enc?.startsWith(`v2.${api.core.keyring.currentKeyId}.`)).toBe(true)
    const pin = (await api.sandbox.state.phone(result.event.data.phone_number_id!))?.pin
    expect(pin).toMatch(/^\d{6}$/)
    expect(stored.pin_enc).not.toContain(pin)
  })
})

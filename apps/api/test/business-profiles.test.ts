import { SANDBOX_EXPIRED_CODE } from '@onboard/meta-sandbox'
import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError, readJson, readList, shapes } from './support/responses'
import {
  completeSessionManually,
  createSession,
  PROFILE_CALLBACK,
  receiveInstall,
} from './support/sessions'
import { playSandbox } from './support/signup'

describe('POST /v1/organization/whatsapp/business-profiles/callback (popup flow)', () => {
  const api = useTestApi()
  const org = useOrganization(api, { scope: 'test' })

  const post = (json: unknown, key = org.test, headers: Record<string, string> = {}) =>
    api.request(PROFILE_CALLBACK, { method: 'POST', key, json, headers })

  it('returns the business profile exactly as documented', async () => {
    const meta = await playSandbox(api, 'success', { phoneNumberCount: 2 })
    const res = await post({
      code: meta.code,
      wabaId: meta.wabaId,
      phoneNumberId: meta.phoneNumberId,
      businessId: meta.businessId,
    })
    expect(res.status).toBe(201)
    const profile = await readJson(res, shapes.businessProfile)
    expect(Object.keys(profile).sort()).toEqual(
      [
        'id',
        'organizationId',
        'metaWabaId',
        'metaBusinessId',
        'businessName',
        'tokenExpiresAt',
        'onboardingCompletedAt',
        'createdAt',
        'phoneNumbers',
        'isTestProfile',
      ].sort(),
    )
    expect(profile).toMatchObject({
      organizationId: org.id,
      metaWabaId: meta.wabaId,
      metaBusinessId: meta.businessId,
      tokenExpiresAt: null,
      isTestProfile: true,
    })
    expect(profile.id).toMatch(/^wabp_[0-9A-Za-z]{22}$/)
    expect(typeof profile.businessName).toBe('string')
    expect(profile.onboardingCompletedAt).toBe(profile.createdAt)
    expect(profile.phoneNumbers).toHaveLength(2)
    for (const phone of profile.phoneNumbers) {
      expect(Object.keys(phone).sort()).toEqual(
        ['displayPhoneNumber', 'id', 'metaPhoneNumberId', 'qualityRating', 'verified'].sort(),
      )
      expect(phone.displayPhoneNumber).toMatch(/^\+\d+$/)
      expect(typeof phone.verified).toBe('boolean')
    }
    // The same store as every other completion: the WABA and its phones are readable.
    const wabas = await readList(await api.request('/v1/wabas', { key: org.test }), 'waba')
    expect(wabas.data).toHaveLength(1)
    expect(wabas.data[0]?.metaWabaId).toBe(meta.wabaId)
  })

  it('claims the WABA’s PARTNER_APP_INSTALLED, so no session can complete with it later', async () => {
    const other = await api.createOrganization('Other')
    const session = await createSession(api, other.test)
    const meta = await playSandbox(api, 'success')
    await receiveInstall(api, org.test, meta.wabaId ?? '')
    const res = await post({ code: meta.code, wabaId: meta.wabaId })
    expect(res.status).toBe(201)
    const profile = await readJson(res, shapes.businessProfile)
    const install = await api.core.db
      .selectFrom('meta_waba_installs')
      .select('claimed_by')
      .where('meta_waba_id', '=', meta.wabaId ?? '')
      .executeTakeFirstOrThrow()
    expect(install.claimed_by).toBe(profile.id)
    // Even once this organisation lets the WABA go, the install stays used.
    await api.core.db
      .updateTable('wabas')
      .set({ status: 'disconnected' })
      .where('meta_waba_id', '=', meta.wabaId ?? '')
      .execute()
    const manual = await completeSessionManually(api, other.test, session.id, meta.wabaId)
    expect((await readError(manual, 409)).code).toBe('waba_install_already_claimed')
  })

  it('records phone_number.connected with the profile id', async () => {
    const meta = await playSandbox(api, 'success')
    const profile = await readJson(await post({ code: meta.code }), shapes.businessProfile)
    const event = await api.core.db
      .selectFrom('events')
      .select(['type', 'payload'])
      .where('organization_id', '=', org.id)
      .executeTakeFirstOrThrow()
    expect(event.type).toBe('phone_number.connected')
    expect(JSON.parse(event.payload).data).toMatchObject({
      businessProfileId: profile.id,
      metaWabaId: meta.wabaId,
      isPhoneRegistered: true,
    })
  })

  it('code_expired for an expired code and for a code used twice, with a clear message', async () => {
    const expired = await post({ code: SANDBOX_EXPIRED_CODE })
    const error = await readError(expired, 400)
    expect(error.code).toBe('code_expired')
    expect(error.message).toMatch(/expired or was already used/)
    expect(error.message).toMatch(/30 seconds/)

    const meta = await playSandbox(api, 'success')
    expect((await post({ code: meta.code })).status).toBe(201)
    const reused = await post({ code: meta.code })
    expect((await readError(reused, 400)).code).toBe('code_expired')
  })

  it('waba_already_connected (409) for a WABA this organisation already has', async () => {
    const first = await playSandbox(api, 'success', { sharedWaba: true })
    expect((await post({ code: first.code })).status).toBe(201)
    const second = await playSandbox(api, 'success', { sharedWaba: true })
    const res = await post({ code: second.code, wabaId: second.wabaId })
    expect((await readError(res, 409)).code).toBe('waba_already_connected')
  })

  it('meta_api_error when Meta fails (rate limited)', async () => {
    const meta = await playSandbox(api, 'success', { rateLimit: 'waba' as const })
    const res = await post({ code: meta.code })
    expect((await readError(res, 503)).code).toBe('meta_api_error')
  })

  it('isCoexistence keeps the number as it is on the WhatsApp Business app (no registration)', async () => {
    const meta = await playSandbox(api, 'coexistence')
    const res = await post({ code: meta.code, wabaId: meta.wabaId, isCoexistence: true })
    expect(res.status).toBe(201)
    const profile = await readJson(res, shapes.businessProfile)
    const phone = await readData(
      await api.request(`/v1/phones/${profile.phoneNumbers[0]?.id}`, { key: org.test }),
      'phoneDetail',
    )
    expect(phone).toMatchObject({ isCoexistence: true, isRegistered: true })
  })

  it('validates the body like the document: code required, ids digits, no unknown fields', async () => {
    for (const [body, field] of [
      [{}, 'code'],
      [{ code: '' }, 'code'],
      [{ code: 'x', wabaId: 'abc' }, 'wabaId'],
      [{ code: 'x', isCoexistence: 'yes' }, 'isCoexistence'],
      [{ code: 'x', waba_id: '1' }, 'waba_id'],
    ] as const) {
      const res = await post(body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await readError(res)).details?.[0]?.field).toBe(field)
    }
    expect(
      (await api.request(PROFILE_CALLBACK, { method: 'POST', json: { code: 'x' } })).status,
    ).toBe(401)
  })

  it('a live key without a Meta app configured gets a clear 503', async () => {
    const res = await post({ code: 'AQBwhatever' }, org.live)
    expect((await readError(res, 503)).code).toBe('meta_not_configured')
  })

  it('replays the stored profile for a repeated Idempotency-Key (no second exchange)', async () => {
    const meta = await playSandbox(api, 'success')
    const headers = { 'idempotency-key': `profile-${org.id}` }
    const first = await post({ code: meta.code }, org.test, headers)
    const again = await post({ code: meta.code }, org.test, headers)
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect((await readJson(again, shapes.businessProfile)).id).toBe(
      (await readJson(first, shapes.businessProfile)).id,
    )
  })
})

import { createTestDatabase } from '@onboard/core/testing'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import {
  createMetaSandbox,
  SANDBOX_SHARED_PHONE_NUMBER_ID,
  SANDBOX_SHARED_WABA_ID,
  startMetaSandbox,
} from '../src/index'
import {
  APP_ID,
  APP_SECRET,
  type MountedSandbox,
  manualClock,
  postSignup,
  startMountedSandbox,
} from './helpers'

let sb: MountedSandbox
beforeAll(async () => {
  sb = await startMountedSandbox()
})
afterAll(async () => {
  await sb.close()
})

describe('POST /signups (the popup without a browser)', () => {
  it('success: FINISH with phone, WABA and business, and a connected authResponse', async () => {
    const r = await sb.signup({ scenario: 'success' })
    expect(r.code).toMatch(/^AQB[\w-]{300,}$/)
    expect(r.wabaId).toMatch(/^[1-9]\d{14}$/)
    expect(r.event).toEqual({
      type: 'WA_EMBEDDED_SIGNUP',
      event: 'FINISH',
      data: { phone_number_id: r.phoneNumberId, waba_id: r.wabaId, business_id: r.businessId },
      version: 3,
    })
    expect(r.authResponse).toEqual({
      authResponse: { code: r.code, userID: null, expiresIn: null },
      status: 'connected',
    })
    const phone = await sb.state.phone(r.phoneNumberId ?? '')
    expect(phone?.e164).toMatch(/^\+[1-9]\d{9,14}$/)
  })

  it('coexistence: FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING with the WABA only', async () => {
    const r = await sb.signup({ scenario: 'coexistence' })
    expect(r.event.event).toBe('FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING')
    expect(r.event.data).toEqual({ waba_id: r.wabaId })
    expect(r.phoneNumberId).toBeNull()
    expect(r.businessId).toBeNull()
    expect(r.code).not.toBeNull()
    const phone = await sb.state.phone(r.sandbox.phoneNumberIds[0] ?? '')
    expect(phone).toMatchObject({ isOnBizApp: true, platformType: 'CLOUD_API' })
  })

  it('only-waba: FINISH_ONLY_WABA and a WABA without numbers', async () => {
    const r = await sb.signup({ scenario: 'only-waba', sessionInfoVersion: '2' })
    expect(r.event).toEqual({
      type: 'WA_EMBEDDED_SIGNUP',
      event: 'FINISH_ONLY_WABA',
      data: { waba_id: r.wabaId },
      version: 2,
    })
    expect(r.sandbox.phoneNumberIds).toEqual([])
  })

  it('cancel: CANCEL with current_step and no code', async () => {
    const r = await sb.signup({ scenario: 'cancel', options: { currentStep: 'PERMISSIONS' } })
    expect(r).toMatchObject({ code: null, wabaId: null, phoneNumberId: null, businessId: null })
    expect(r.event).toEqual({
      type: 'WA_EMBEDDED_SIGNUP',
      event: 'CANCEL',
      data: { current_step: 'PERMISSIONS' },
      version: 3,
    })
    expect(r.authResponse).toEqual({ authResponse: null, status: 'unknown' })
  })

  it('error: CANCEL (or legacy ERROR) with error_message, error_code, session_id, timestamp', async () => {
    const r = await sb.signup({ scenario: 'error' })
    expect(r.event.event).toBe('CANCEL')
    expect(r.event.data).toMatchObject({ error_code: '524126' })
    expect(r.event.data.error_message).toMatch(/verified name/)
    expect(r.event.data.session_id).toMatch(/^[0-9a-f]{15}$/)
    expect(r.event.data.timestamp).toBe(String(Math.floor(sb.clock.now() / 1000)))
    const legacy = await sb.signup({ scenario: 'error', options: { errorEvent: 'ERROR' } })
    expect(legacy.event.event).toBe('ERROR')
  })

  it('honours the prefill: names and a pre-verified phone id', async () => {
    const r = await sb.signup({
      scenario: 'success',
      prefill: {
        business: {
          name: 'Acme Pizza',
          email: 'owner@acme.test',
          phone: { code: 1, number: '6505551234' },
        },
        phone: { displayName: 'Acme Pizza Orders', category: 'RESTAURANT' },
        preVerifiedPhone: { ids: ['777000111222333'] },
      },
    })
    expect(r.phoneNumberId).toBe('777000111222333')
    expect((await sb.state.waba(r.wabaId ?? ''))?.name).toBe('Acme Pizza')
    expect((await sb.state.phone('777000111222333'))?.verifiedName).toBe('Acme Pizza Orders')
  })

  it('sharedWaba: two signups yield the same WABA and phone', async () => {
    const a = await sb.signup({ scenario: 'success', options: { sharedWaba: true } })
    const b = await sb.signup({ scenario: 'success', options: { sharedWaba: true } })
    expect(a.wabaId).toBe(SANDBOX_SHARED_WABA_ID)
    expect(b.wabaId).toBe(SANDBOX_SHARED_WABA_ID)
    expect(a.phoneNumberId).toBe(SANDBOX_SHARED_PHONE_NUMBER_ID)
    expect(a.code).not.toBe(b.code)
  })

  it('rejects unknown scenarios, misspelt options and non-JSON bodies with 400', async () => {
    for (const body of [
      JSON.stringify({ scenario: 'explode' }),
      JSON.stringify({ scenario: 'success', options: { expiredcode: true } }),
      'not json',
    ]) {
      const res = await fetch(`${sb.base}/signups`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      expect(res.status).toBe(400)
      const json = (await res.json()) as { error: { code: string; message: string } }
      expect(json.error.code).toBe('invalid_request')
    }
  })
})

describe('bounded state', () => {
  it('forgets signups past retention, with their codes, tokens and assets, but keeps the shared WABA', async () => {
    const clock = manualClock()
    const database = await createTestDatabase()
    onTestFinished(() => database.close())
    const { app, state } = createMetaSandbox({
      db: database.core.db,
      appId: APP_ID,
      appSecret: APP_SECRET,
      now: clock.now,
      retentionMs: 60_000,
      maxSignups: 3,
    })
    const play = async (body: unknown) => {
      const res = await app.request('/signups', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      return (await res.json()) as { wabaId: string; code: string }
    }
    const old = await play({ scenario: 'success' })
    await play({ scenario: 'success', options: { sharedWaba: true } })
    clock.advance(61_000)
    await play({ scenario: 'success' })
    expect(await state.waba(old.wabaId)).toBeUndefined()
    expect(await state.signupByCode(old.code)).toBeUndefined()
    expect(await state.waba(SANDBOX_SHARED_WABA_ID)).toBeDefined()
    for (let i = 0; i < 5; i++) await play({ scenario: 'success' })
    expect(await state.signupCount()).toBe(3)
  })
})

describe('startMetaSandbox', () => {
  it('serves the same routes at its root on its own port', async () => {
    const database = await createTestDatabase()
    onTestFinished(() => database.close())
    const running = await startMetaSandbox({
      db: database.core.db,
      port: 0,
      appId: APP_ID,
      appSecret: APP_SECRET,
    })
    try {
      const r = await postSignup(running.url, { scenario: 'success' })
      const res = await fetch(
        `${running.url}/graph/oauth/access_token?client_id=${APP_ID}&client_secret=${APP_SECRET}&code=${r.code}`,
      )
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ token_type: 'bearer' })
    } finally {
      await running.close()
    }
  })
})

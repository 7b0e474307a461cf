import { isMetaError, type MetaError } from '@onboard/meta'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  SANDBOX_BLOCKED_HEALTH_ERROR_CODE,
  SANDBOX_EXPIRED_CODE,
  SANDBOX_REGISTER_FAILURE_CODE,
  SANDBOX_SHARED_WABA_ID,
} from '../src/index'
import { APP_ID, connectedSignup, type MountedSandbox, startMountedSandbox } from './helpers'

// The real @onboard/meta client against the sandbox, over real HTTP, mounted as the API mounts it.

let sb: MountedSandbox
beforeAll(async () => {
  sb = await startMountedSandbox()
})
afterAll(async () => {
  await sb.close()
})

async function failure(promise: Promise<unknown>): Promise<MetaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isMetaError(error)) throw new Error(`expected a MetaError, got ${String(error)}`)
  return error
}

describe('every call, happy path', () => {
  it('exchanges, inspects, reads, subscribes, registers and checks health', async () => {
    const client = sb.client()
    const signup = await sb.signup({
      scenario: 'success',
      prefill: { business: { name: 'Acme Pizza' }, phone: { displayName: 'Acme Pizza Support' } },
    })
    const token = await client.exchangeCode(signup.code ?? '')
    expect(token.accessToken).toMatch(/^EAA/)
    expect(token.expiresAt).toBeNull()

    const debug = await client.debugToken(token.accessToken)
    expect(debug).toMatchObject({ isValid: true, expiresAt: null, wabaIds: [signup.wabaId] })
    expect(debug.scopes).toContain('whatsapp_business_management')

    const waba = await client.getWaba(signup.wabaId ?? '', token.accessToken)
    expect(waba).toMatchObject({
      id: signup.wabaId,
      name: 'Acme Pizza',
      currency: 'USD',
      timezoneId: '1',
      ownerBusiness: { id: signup.businessId, name: 'Acme Pizza' },
    })

    const phones = await client.listPhoneNumbers(signup.wabaId ?? '', token.accessToken)
    expect(phones).toHaveLength(1)
    expect(phones[0]).toMatchObject({
      id: signup.phoneNumberId,
      verifiedName: 'Acme Pizza Support',
      qualityRating: 'GREEN',
      codeVerificationStatus: 'VERIFIED',
      platformType: 'NOT_APPLICABLE',
      nameStatus: 'APPROVED',
    })
    expect(phones[0]?.displayPhoneNumber).toMatch(/^\+\d/)

    const before = await client.getPhoneHealth(signup.phoneNumberId ?? '', token.accessToken)
    expect(before.canSendMessage).toBe('LIMITED') // app not yet subscribed to the WABA's webhooks

    await client.subscribeApp(signup.wabaId ?? '', token.accessToken)
    expect(await client.getSubscribedApps(signup.wabaId ?? '', token.accessToken)).toEqual([
      { appId: APP_ID, name: 'Onboarding Sandbox App' },
    ])

    await client.registerPhone(signup.phoneNumberId ?? '', '123456', token.accessToken)
    const [registered] = await client.listPhoneNumbers(signup.wabaId ?? '', token.accessToken)
    expect(registered).toMatchObject({ platformType: 'CLOUD_API', status: 'CONNECTED' })

    const health = await client.getPhoneHealth(signup.phoneNumberId ?? '', token.accessToken)
    expect(health.canSendMessage).toBe('AVAILABLE')
    expect(health.entities.map((e) => e.entityType)).toEqual([
      'PHONE_NUMBER',
      'WABA',
      'BUSINESS',
      'APP',
    ])
  })

  it('follows paging across pages on the sandbox host', async () => {
    const s = await connectedSignup(sb, { options: { phoneNumberCount: 30 } })
    const phones = await sb.client().listPhoneNumbers(s.wabaId ?? '', s.token)
    expect(phones).toHaveLength(30)
    expect(new Set(phones.map((p) => p.id)).size).toBe(30)
  })

  it('reports a garbage token as invalid in debug_token rather than throwing', async () => {
    const debug = await sb.client().debugToken('EAAgarbage')
    expect(debug).toEqual({ isValid: false, expiresAt: null, scopes: [], wabaIds: [] })
  })
})

describe('every mapped error', () => {
  it('code_expired: a code older than 30 seconds', async () => {
    const signup = await sb.signup({ scenario: 'success' })
    sb.clock.advance(30_001)
    const error = await failure(sb.client().exchangeCode(signup.code ?? ''))
    expect(error.code).toBe('code_expired')
    expect(error.graph).toMatchObject({ code: 100, subcode: 36007, type: 'OAuthException' })
    expect(error.retryable).toBe(false)
  })

  it('code_expired: the expiredCode option and the magic expired code', async () => {
    const signup = await sb.signup({ scenario: 'success', options: { expiredCode: true } })
    for (const code of [signup.code ?? '', SANDBOX_EXPIRED_CODE]) {
      const error = await failure(sb.client().exchangeCode(code))
      expect(error.code).toBe('code_expired')
      expect(error.graph?.subcode).toBe(36007)
    }
  })

  it('code_expired: a code used twice, and a code never issued', async () => {
    const signup = await sb.signup({ scenario: 'success' })
    await sb.client().exchangeCode(signup.code ?? '')
    const reused = await failure(sb.client().exchangeCode(signup.code ?? ''))
    expect(reused.code).toBe('code_expired')
    expect(reused.graph?.subcode).toBe(36009)
    expect(reused.message).not.toContain(signup.code ?? '')
    const unknown = await failure(sb.client().exchangeCode('AQBnotacodewehandedout'))
    expect(unknown.code).toBe('code_expired')
  })

  it('meta_api_error: a wrong app secret or app id on the exchange, not retryable', async () => {
    const signup = await sb.signup({ scenario: 'success' })
    const badSecret = await failure(
      sb.client({ appSecret: 'ffffffffffffffffffffffffffffffff' }).exchangeCode(signup.code ?? ''),
    )
    expect(badSecret).toMatchObject({ code: 'meta_api_error', retryable: false })
    expect(badSecret.message).not.toContain('ffffffffffffffffffffffffffffffff')
    const badApp = await failure(
      sb.client({ appId: '999999999999999' }).exchangeCode(signup.code ?? ''),
    )
    expect(badApp.graph?.code).toBe(101)
    // The code was not consumed by the failed attempts.
    await expect(sb.client().exchangeCode(signup.code ?? '')).resolves.toMatchObject({})
  })

  it('invalid_token: a token Graph cannot parse', async () => {
    const error = await failure(sb.client().getWaba(SANDBOX_SHARED_WABA_ID, 'EAAnotarealtoken'))
    expect(error).toMatchObject({ code: 'invalid_token', httpStatus: 401 })
    expect(error.graph?.code).toBe(190)
  })

  it('permission_denied: a token used on a WABA or phone it was not granted', async () => {
    const mine = await connectedSignup(sb)
    const theirs = await sb.signup({ scenario: 'success' })
    const client = sb.client()
    // One call at a time: a call started early could fail before anything awaits it.
    for (const call of [
      () => client.getWaba(theirs.wabaId ?? '', mine.token),
      () => client.listPhoneNumbers(theirs.wabaId ?? '', mine.token),
      () => client.subscribeApp(theirs.wabaId ?? '', mine.token),
      () => client.registerPhone(theirs.phoneNumberId ?? '', '123456', mine.token),
      () => client.getPhoneHealth(theirs.phoneNumberId ?? '', mine.token),
    ]) {
      const error = await failure(call())
      expect(error.code).toBe('permission_denied')
      expect(error.graph?.code).toBe(200)
    }
  })

  it('rate_limited: WABA (80007) and app (4) limits on the signup token, not retried', async () => {
    const waba = await connectedSignup(sb, { options: { rateLimit: 'waba' } })
    const error = await failure(sb.client().getWaba(waba.wabaId ?? '', waba.token))
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true })
    expect(error.graph?.code).toBe(80007)
    const app = await connectedSignup(sb, { options: { rateLimit: 'app' } })
    const appError = await failure(sb.client().listPhoneNumbers(app.wabaId ?? '', app.token))
    expect(appError.code).toBe('rate_limited')
    expect(appError.graph?.code).toBe(4)
  })

  it('meta_api_error: an unknown object id (100/33) and a failing registration (133005)', async () => {
    const s = await connectedSignup(sb, { options: { registerFails: true } })
    const unknown = await failure(sb.client().getWaba('100000000000001', s.token))
    expect(unknown).toMatchObject({ code: 'meta_api_error', retryable: false })
    expect(unknown.graph).toMatchObject({ code: 100, subcode: 33, type: 'GraphMethodException' })
    const register = await failure(
      sb.client().registerPhone(s.phoneNumberId ?? '', '654321', s.token),
    )
    expect(register.code).toBe('meta_api_error')
    expect(register.graph?.code).toBe(SANDBOX_REGISTER_FAILURE_CODE)
    expect(register.message).not.toContain('654321')
  })
})

describe('health magic values', () => {
  it('LIMITED carries additional_info on the phone; BLOCKED carries 141006 on the WABA', async () => {
    const limited = await connectedSignup(sb, { options: { health: 'LIMITED' } })
    await sb.client().subscribeApp(limited.wabaId ?? '', limited.token)
    const l = await sb.client().getPhoneHealth(limited.phoneNumberId ?? '', limited.token)
    expect(l.canSendMessage).toBe('LIMITED')
    expect(l.entities.find((e) => e.entityType === 'PHONE_NUMBER')?.additionalInfo[0]).toMatch(
      /display name/,
    )

    const blocked = await connectedSignup(sb, { options: { health: 'BLOCKED' } })
    const b = await sb.client().getPhoneHealth(blocked.phoneNumberId ?? '', blocked.token)
    expect(b.canSendMessage).toBe('BLOCKED')
    const wabaEntity = b.entities.find((e) => e.entityType === 'WABA')
    expect(wabaEntity?.errors[0]).toMatchObject({ errorCode: SANDBOX_BLOCKED_HEALTH_ERROR_CODE })
    expect(wabaEntity?.errors[0]?.possibleSolution).toMatch(/payment method/)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MountedSandbox, SYSTEM_USER_TOKEN, startMountedSandbox } from './helpers'

// The platform's system-user token reads a WABA without the end-user's code: what completing
// an interrupted signup (POST …/sessions/:id/complete) needs from the sandbox.

let sb: MountedSandbox
beforeAll(async () => {
  sb = await startMountedSandbox()
})
afterAll(async () => {
  await sb.close()
})

describe('system-user token', () => {
  it('is only the one passed in: the old public constant and near misses are a bad token (190)', async () => {
    const signup = await sb.signup({ scenario: 'success' })
    for (const token of [
      'EAAsandboxPartnerSystemUserToken',
      SYSTEM_USER_TOKEN.slice(0, -1),
      `${SYSTEM_USER_TOKEN}x`,
    ]) {
      const res = await fetch(`${sb.graphUrl}/v25.0/${signup.wabaId}/phone_numbers`, {
        headers: { authorization: `Bearer ${token}` },
      })
      expect(res.status).toBe(401)
      expect(((await res.json()) as { error: unknown }).error).toMatchObject({
        type: 'OAuthException',
        code: 190,
      })
    }
  })

  it('does not exist when none is passed in', async () => {
    const bare = await startMountedSandbox({ systemUserToken: undefined })
    try {
      const signup = await bare.signup({ scenario: 'success' })
      const res = await fetch(`${bare.graphUrl}/v25.0/${signup.wabaId}`, {
        headers: { authorization: 'Bearer ' },
      })
      expect(res.status).toBe(400)
      const empty = await fetch(`${bare.graphUrl}/v25.0/${signup.wabaId}?access_token=EAA`)
      expect(empty.status).toBe(401)
    } finally {
      await bare.close()
    }
  })

  it('reads any WABA the sandbox issued, its phones, and subscribes the app, with no code exchanged', async () => {
    const signup = await sb.signup({ scenario: 'success' })
    const client = sb.client()
    const waba = await client.getWaba(signup.wabaId ?? '', SYSTEM_USER_TOKEN)
    expect(waba).toMatchObject({ id: signup.wabaId, ownerBusiness: { id: signup.businessId } })
    const phones = await client.listPhoneNumbers(signup.wabaId ?? '', SYSTEM_USER_TOKEN)
    expect(phones.map((p) => p.id)).toEqual([signup.phoneNumberId])
    await client.subscribeApp(signup.wabaId ?? '', SYSTEM_USER_TOKEN)
    const apps = await client.getSubscribedApps(signup.wabaId ?? '', SYSTEM_USER_TOKEN)
    expect(apps.length).toBe(1)
  })

  it('still answers 100/33 for ids the sandbox never issued', async () => {
    const res = await fetch(`${sb.graphUrl}/v25.0/100000000000009`, {
      headers: { authorization: `Bearer ${SYSTEM_USER_TOKEN}` },
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({
      code: 100,
      error_subcode: 33,
    })
  })
})

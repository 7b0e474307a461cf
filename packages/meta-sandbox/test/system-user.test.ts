import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SANDBOX_SYSTEM_USER_TOKEN } from '../src/index'
import { type MountedSandbox, startMountedSandbox } from './helpers'

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
  it('reads any WABA the sandbox issued, its phones, and subscribes the app, with no code exchanged', async () => {
    const signup = await sb.signup({ scenario: 'success' })
    const client = sb.client()
    const waba = await client.getWaba(signup.wabaId ?? '', SANDBOX_SYSTEM_USER_TOKEN)
    expect(waba).toMatchObject({ id: signup.wabaId, ownerBusiness: { id: signup.businessId } })
    const phones = await client.listPhoneNumbers(signup.wabaId ?? '', SANDBOX_SYSTEM_USER_TOKEN)
    expect(phones.map((p) => p.id)).toEqual([signup.phoneNumberId])
    await client.subscribeApp(signup.wabaId ?? '', SANDBOX_SYSTEM_USER_TOKEN)
    const apps = await client.getSubscribedApps(signup.wabaId ?? '', SANDBOX_SYSTEM_USER_TOKEN)
    expect(apps.length).toBe(1)
  })

  it('still answers 100/33 for ids the sandbox never issued', async () => {
    const res = await fetch(`${sb.graphUrl}/v25.0/100000000000009`, {
      headers: { authorization: `Bearer ${SANDBOX_SYSTEM_USER_TOKEN}` },
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({
      code: 100,
      error_subcode: 33,
    })
  })
})

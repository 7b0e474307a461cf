import { randomBytes } from 'node:crypto'
import { createKeyring } from '@onboard/core'
import { describe, expect, it } from 'vitest'
import { useTestApi } from './support/fixture'
import { readBody } from './support/responses'

// The sandbox's system-user token reads and changes any WABA the sandbox issued, whichever
// organisation holds it. It used to be a public constant; it is now derived from this
// deployment's ENCRYPTION_KEY, so only this deployment's own server can use it.

const OLD_PUBLIC_TOKEN = 'EAAsandboxPartnerSystemUserToken'

const api = useTestApi()

async function sandboxWaba(): Promise<{ wabaId: string; phoneNumberId: string }> {
  const res = await api.request('/__sandbox/signups', {
    method: 'POST',
    json: { scenario: 'success' },
  })
  expect(res.status).toBe(201)
  return readBody<{ wabaId: string; phoneNumberId: string }>(res)
}

function graph(path: string, token: string, init: RequestInit = {}) {
  const url = new URL(`${api.url}/__sandbox/graph/v25.0/${path}`)
  url.searchParams.set('access_token', token)
  return fetch(url, init)
}

async function expectOAuthError(res: Response) {
  expect(res.status).toBe(401)
  const body = await readBody<{ error: Record<string, unknown> }>(res)
  expect(body.error).toMatchObject({ type: 'OAuthException', code: 190 })
  expect(typeof body.error.fbtrace_id).toBe('string')
}

describe('the sandbox system-user token', () => {
  it('refuses the old public constant like Graph refuses a bad token (190), on reads and writes', async () => {
    const { wabaId, phoneNumberId } = await sandboxWaba()
    await expectOAuthError(await graph(`${wabaId}/phone_numbers`, OLD_PUBLIC_TOKEN))
    await expectOAuthError(await graph(wabaId, OLD_PUBLIC_TOKEN))
    await expectOAuthError(
      await graph(`${wabaId}/subscribed_apps`, OLD_PUBLIC_TOKEN, { method: 'DELETE' }),
    )
    await expectOAuthError(
      await graph(`${phoneNumberId}/register`, OLD_PUBLIC_TOKEN, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', pin: '123456' }),
      }),
    )
  })

  it("refuses another deployment's token", async () => {
    const { wabaId } = await sandboxWaba()
    const other = createKeyring(randomBytes(32)).sandboxSystemUserToken
    expect(other).not.toBe(api.core.keyring.sandboxSystemUserToken)
    await expectOAuthError(await graph(`${wabaId}/phone_numbers`, other))
  })

  it("accepts this deployment's own token", async () => {
    const { wabaId, phoneNumberId } = await sandboxWaba()
    const token = api.core.keyring.sandboxSystemUserToken
    expect(token).toMatch(/^EAA[0-9A-Za-z_-]{40,}$/)
    expect(token).not.toContain(OLD_PUBLIC_TOKEN)
    const res = await graph(`${wabaId}/phone_numbers`, token)
    expect(res.status).toBe(200)
    const body = await readBody<{ data: { id: string }[] }>(res)
    expect(body.data.map((p) => p.id)).toEqual([phoneNumberId])
  })
})

import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import type { TestApi } from './support/harness'
import { readData, readError } from './support/responses'
import { completeWith, createLink, pageConfig } from './support/signup'

const renew = (api: TestApi, key: string, id: string, json?: unknown, headers?: HeadersInit) =>
  api.request(`/v1/onboarding-links/${id}/renew`, { method: 'POST', key, json, headers })

const read = async (api: TestApi, key: string, id: string) =>
  readData(await api.request(`/v1/onboarding-links/${id}`, { key }), 'link')

describe('POST /v1/onboarding-links/:id/renew', () => {
  const api = useTestApi()
  const org = useOrganization(api)
  const other = useOrganization(api)

  /** The test clock: frozen at `now` after each link made in the past. */
  let now = new Date()

  /** A link made `agoSeconds` ago with the shortest lifetime (900 s); the clock then reads `now`. */
  async function linkMadeAgo(agoSeconds: number, body: Record<string, unknown> = {}) {
    now = new Date()
    api.database.setNow(new Date(now.getTime() - agoSeconds * 1000))
    try {
      return await createLink(api, org.test, { expiresInSeconds: 900, ...body })
    } finally {
      api.database.setNow(now)
    }
  }

  const inSeconds = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString()

  it('gives an expired link a new expiry: same id and hosted URL, its page offers the way back until then and works again after', async () => {
    const link = await linkMadeAgo(2_000, { redirectUrl: 'https://app.example/done?from=mail' })
    expect((await read(api, org.test, link.id)).status).toBe('expired')

    // The expired page: 410, and a way back to the app saying why, with the redirect's usual
    // parameters (the link's id and externalId) and the app's own query kept.
    const expiredPage = await api.request(`/signup/${link.id}`)
    expect(expiredPage.status).toBe(410)
    const html = await expiredPage.text()
    expect(html).toContain('data-state="expired"')
    const href = /id="return"[^>]*href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&')
    expect(href).toBeDefined()
    const back = new URL(href as string)
    expect(`${back.origin}${back.pathname}`).toBe('https://app.example/done')
    expect(Object.fromEntries(back.searchParams)).toEqual({
      from: 'mail',
      onboarding_link_id: link.id,
      external_id: 'customer-123',
      status: 'error',
      error: 'This link has expired.',
      error_code: 'link_expired',
    })

    const res = await renew(api, org.test, link.id, { expiresInSeconds: 3600 })
    expect(res.status).toBe(200)
    const renewed = await readData(res, 'link')
    expect(renewed).toMatchObject({
      id: link.id,
      hostedUrl: link.hostedUrl,
      status: 'pending',
      expiresAt: inSeconds(3600),
    })
    expect(await read(api, org.test, link.id)).toEqual(renewed)

    // The same page works again, and the signup completes.
    const page = await api.request(`/signup/${link.id}`)
    expect(page.status).toBe(200)
    expect((await pageConfig(api, link.id)).mode).toBe('test')
    const { res: done, body } = await completeWith(api, link.id, 'success')
    expect(done.status).toBe(200)
    expect(body.data.status).toBe('success')
    expect((await read(api, org.test, link.id)).status).toBe('completed')
  })

  it('renews a pending link for the default 30 days when no body is sent; a page without a redirect offers no way back', async () => {
    const link = await linkMadeAgo(1_000)
    const expiredPage = await (await api.request(`/signup/${link.id}`)).text()
    expect(expiredPage).not.toContain('id="return"')
    const pending = await createLink(api, org.test)
    const res = await api.request(`/v1/onboarding-links/${pending.id}/renew`, {
      method: 'POST',
      key: org.test,
    })
    expect(res.status).toBe(200)
    expect((await readData(res, 'link')).expiresAt).toBe(inSeconds(30 * 86_400))
  })

  it('refuses a completed link with 409 link_completed, and bad input with a 400 naming the field, changing nothing', async () => {
    const link = await createLink(api, org.test)
    expect((await completeWith(api, link.id, 'success')).res.status).toBe(200)
    const completed = await read(api, org.test, link.id)
    const conflict = await renew(api, org.test, link.id, {})
    expect((await readError(conflict, 409)).code).toBe('link_completed')
    expect(await read(api, org.test, link.id)).toEqual(completed)

    const pending = await createLink(api, org.test)
    for (const [body, field] of [
      [{ expiresInSeconds: 899 }, 'expiresInSeconds'],
      [{ expiresInSeconds: 7_776_001 }, 'expiresInSeconds'],
      [{ expiresInSeconds: '3600' }, 'expiresInSeconds'],
      [{ expiresInSeconds: 3600, status: 'pending' }, 'status'],
    ] as const) {
      const refused = await renew(api, org.test, pending.id, body)
      const error = await readError(refused, 400)
      expect(JSON.stringify(error.details), JSON.stringify(body)).toContain(field)
    }
    expect(await read(api, org.test, pending.id)).toEqual(pending)
  })

  it('is a 404 for another organisation’s link and for the other mode’s, which stay unchanged', async () => {
    const link = await linkMadeAgo(2_000)
    for (const key of [other.test, other.live, org.live]) {
      const res = await renew(api, key, link.id, { expiresInSeconds: 3600 })
      expect((await readError(res, 404)).code).toBe('not_found')
    }
    expect((await read(api, org.test, link.id)).status).toBe('expired')
    expect((await api.request(`/signup/${link.id}`)).status).toBe(410)
  })

  it('replays the first answer for a repeated Idempotency-Key', async () => {
    const link = await linkMadeAgo(2_000)
    const headers = { 'Idempotency-Key': `renew-${link.id}` }
    const first = await renew(api, org.test, link.id, { expiresInSeconds: 3600 }, headers)
    expect(first.status).toBe(200)
    const firstBody = await first.text()
    // Later, the same request with the same key: the first answer, and the expiry untouched.
    api.database.setNow(new Date(now.getTime() + 600_000))
    const again = await renew(api, org.test, link.id, { expiresInSeconds: 3600 }, headers)
    expect(again.status).toBe(200)
    expect(await again.text()).toBe(firstBody)
    const stored = await read(api, org.test, link.id)
    expect(stored.expiresAt).toBe(inSeconds(3600))
  })
})

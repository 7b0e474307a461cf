import { describe, expect, it } from 'vitest'
import { waitFor } from '../../../../workers/webhooks/test/support/receiver'
import { readData, readList } from '../support/responses'
import { createLink } from '../support/signup'
import { connectWith, screenshot, useBrowserSuite } from './support'

describe('an expired link in a real browser: the way back, a renewal, and the same URL working again', () => {
  const s = useBrowserSuite()

  it('shows the expired page with a way back; renewed, a scanner’s GET raises nothing, a real open raises opened, and it completes', async () => {
    const endpoint = await readData(
      await s.api.request('/v1/outgoing-webhooks', {
        method: 'POST',
        key: s.org.test,
        json: { url: 'https://hooks.example.com/lifecycle', events: ['onboarding_link.opened'] },
      }),
      'endpoint',
    )
    const openedDeliveries = async () =>
      (
        await readList(
          await s.api.request(`/v1/outgoing-webhooks/${endpoint.id}/deliveries`, {
            key: s.org.test,
          }),
          'delivery',
        )
      ).data
    // Made 2,000 s ago with the shortest lifetime: it expired 1,100 s ago.
    const now = new Date()
    s.api.database.setNow(new Date(now.getTime() - 2_000_000))
    const link = await createLink(s.api, s.org.test, {
      redirectUrl: `${s.receiver.url}/whatsapp/callback?tenant=7`,
      expiresInSeconds: 900,
    })
    s.api.database.setNow(now)

    const expired = await s.page.goto(link.hostedUrl)
    expect(expired?.status()).toBe(410)
    await expect(s.page.locator('h1').textContent()).resolves.toBe('This link has expired')
    await screenshot(s.page, 'lifecycle-01-expired')
    await s.page.click('#return')
    await s.page.waitForURL((url) => url.href.startsWith(`${s.receiver.url}/whatsapp/callback`))
    expect(Object.fromEntries(new URL(s.page.url()).searchParams)).toEqual({
      tenant: '7',
      onboarding_link_id: link.id,
      external_id: 'customer-123',
      status: 'error',
      error: 'This link has expired.',
      error_code: 'link_expired',
    })
    // The expired page runs no signup script: nothing reported it opened.
    expect(await openedDeliveries()).toEqual([])

    const renewed = await s.api.request(`/v1/onboarding-links/${link.id}/renew`, {
      method: 'POST',
      key: s.org.test,
    })
    expect(renewed.status).toBe(200)
    expect((await readData(renewed, 'link')).hostedUrl).toBe(link.hostedUrl)

    // A mail scanner fetches the page and runs no script: the GET itself raises nothing (an
    // event would be in the outbox before the answer).
    const scanned = await fetch(link.hostedUrl, { headers: { 'user-agent': 'MailScanner/1.0' } })
    expect(scanned.status).toBe(200)
    expect(await scanned.text()).toContain('id="connect"')
    expect(await openedDeliveries()).toEqual([])

    const page = await s.page.goto(link.hostedUrl)
    expect(page?.status()).toBe(200)
    await s.page.locator('#connect:enabled').waitFor()
    await waitFor('the page’s opened report', async () => (await openedDeliveries()).length === 1)
    await connectWith(s.page, { scenario: 'success', order: 'event-first' })
    await s.page.waitForURL((url) => url.href.startsWith(`${s.receiver.url}/whatsapp/callback`))
    expect(new URL(s.page.url()).searchParams.get('status')).toBe('success')
    const got = await readData(
      await s.api.request(`/v1/onboarding-links/${link.id}`, { key: s.org.test }),
      'link',
    )
    expect(got.status).toBe('completed')
    expect(await openedDeliveries()).toHaveLength(1)
    // The one console error is Chromium noting the expired page's own 410.
    expect(s.problems).toEqual([
      'Failed to load resource: the server responded with a status of 410 (Gone)',
    ])
  })
})

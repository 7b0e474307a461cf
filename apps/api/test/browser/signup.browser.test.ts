import { links } from '@onboard/core'
import { testCreationRules } from '@onboard/core/testing'
import { describe, expect, it } from 'vitest'
import { readData, type shapes } from '../support/responses'
import { completeWith, createLink } from '../support/signup'
import { connectWith, screenshot, useBrowserSuite } from './support'

describe('hosted signup in a real browser', () => {
  const s = useBrowserSuite()

  const read = async <K extends keyof typeof shapes>(path: string, shape: K) =>
    readData(await s.api.request(path, { key: s.org.test }), shape)

  it('success: lands on redirectUrl and every read shows the connected number', async () => {
    const link = await createLink(s.api, s.org.test, {
      redirectUrl: `${s.receiver.url}/whatsapp/callback?tenant=7`,
      metadata: { crmAccountId: 'crm_789' },
    })
    await s.page.goto(link.hostedUrl)
    await expect(s.page.locator('h1').textContent()).resolves.toBe('Acme Corp')
    await s.page.locator('#connect:enabled').waitFor()
    await screenshot(s.page, '01-pending')
    await connectWith(s.page, { scenario: 'success', order: 'event-first' }, '02-sandbox-popup')
    await s.page.waitForURL((url) => url.href.startsWith(`${s.receiver.url}/whatsapp/callback`))

    const landed = new URL(s.page.url())
    expect(Object.fromEntries(landed.searchParams)).toEqual({
      tenant: '7',
      onboarding_link_id: link.id,
      external_id: 'customer-123',
      status: 'success',
    })
    expect(landed.href).not.toContain('crm_789')

    const got = await read(`/v1/onboarding-links/${link.id}`, 'link')
    expect(got).toMatchObject({ status: 'completed', isPhoneRegistered: true })
    expect(got.phoneNumber).toMatch(/^\+\d+$/)
    expect(got.completedAt).not.toBeNull()
    const phone = await read(`/v1/phones/${got.phoneNumberId}`, 'phoneDetail')
    expect(phone).toMatchObject({
      phoneNumber: got.phoneNumber,
      metadata: { crmAccountId: 'crm_789' },
    })
    const health = await read(`/v1/phones/${got.phoneNumberId}/health`, 'phoneHealth')
    expect(health.capabilities).toMatchObject({ canSendMessages: true, canReceiveMessages: true })
    const connection = await read(`/v1/wabas/${got.wabaId}/connection`, 'wabaConnection')
    expect(connection.connectedAccount.source).toBe('embedded_signup')
    expect(connection.phones.map((p: { phoneNumber: string }) => p.phoneNumber)).toContain(
      got.phoneNumber,
    )

    // Opening the link again shows it is done, and changes nothing.
    const again = await s.page.goto(link.hostedUrl)
    expect(again?.status()).toBe(200)
    await expect(s.page.locator('[data-state="completed"]').isVisible()).resolves.toBe(true)
    await screenshot(s.page, '03-already-completed')
    expect(s.problems).toEqual([])
  })

  it('coexistence, login callback first, no redirectUrl: the result is shown inline', async () => {
    const link = await createLink(s.api, s.org.test, { allowCoexistence: true })
    await s.page.goto(link.hostedUrl)
    await connectWith(s.page, { scenario: 'coexistence', order: 'callback-first' })
    const success = s.page.locator('#result-success')
    await success.waitFor({ state: 'visible' })
    const got = await read(`/v1/onboarding-links/${link.id}`, 'link')
    await expect(success.textContent()).resolves.toContain(got.phoneNumber)
    await screenshot(s.page, '04-success-inline')
    const phone = await read(`/v1/phones/${got.phoneNumberId}`, 'phoneDetail')
    expect(phone).toMatchObject({ isCoexistence: true, isRegistered: true })
    expect(s.problems).toEqual([])
  })

  it('cancel: says so inline, records the step, and a retry can still succeed', async () => {
    const link = await createLink(s.api, s.org.test, { redirectUrl: `${s.receiver.url}/cb` })
    await s.page.goto(link.hostedUrl)
    await connectWith(s.page, { scenario: 'cancel' })
    const problem = s.page.locator('#result-problem')
    await problem.waitFor({ state: 'visible' })
    await expect(problem.textContent()).resolves.toContain('You stopped before finishing')
    const back = new URL((await s.page.locator('#return').getAttribute('href')) ?? '')
    expect(back.searchParams.get('status')).toBe('error')
    await screenshot(s.page, '05-cancelled')
    expect(await read(`/v1/onboarding-links/${link.id}`, 'link')).toMatchObject({
      status: 'pending',
      cancelStep: 'PHONE_NUMBER_SETUP',
    })

    await s.page.click('#retry')
    await connectWith(s.page, { scenario: 'success', order: 'callback-only' })
    await s.page.waitForURL((url) => url.href.startsWith(`${s.receiver.url}/cb`))
    expect(new URL(s.page.url()).searchParams.get('status')).toBe('success')
    expect((await read(`/v1/onboarding-links/${link.id}`, 'link')).status).toBe('completed')
  })

  it('error: redirects with status=error and a brief message, link still pending', async () => {
    const link = await createLink(s.api, s.org.test, { redirectUrl: `${s.receiver.url}/cb` })
    await s.page.goto(link.hostedUrl)
    await connectWith(s.page, { scenario: 'error' })
    await s.page.waitForURL((url) => url.href.startsWith(`${s.receiver.url}/cb`))
    const landed = new URL(s.page.url())
    expect(landed.searchParams.get('status')).toBe('error')
    expect(landed.searchParams.get('onboarding_link_id')).toBe(link.id)
    expect(landed.searchParams.get('error')).toMatch(/verified name/)
    expect((await read(`/v1/onboarding-links/${link.id}`, 'link')).status).toBe('pending')
  })

  it('already connected: a second link for the same WABA shows the error inline', async () => {
    const first = await createLink(s.api, s.org.test)
    expect((await completeWith(s.api, first.id, 'success', { sharedWaba: true })).res.status).toBe(
      200,
    )
    const second = await createLink(s.api, s.org.test, { name: 'Acme Second Store' })
    await s.page.goto(second.hostedUrl)
    await connectWith(s.page, { scenario: 'success', sharedWaba: true })
    const problem = s.page.locator('#result-problem')
    await problem.waitFor({ state: 'visible' })
    await expect(problem.textContent()).resolves.toContain('already connected')
    await screenshot(s.page, '06-error-already-connected')
    expect((await read(`/v1/onboarding-links/${second.id}`, 'link')).status).toBe('pending')
  })

  it('expired, unknown and unconfigured links get their own pages', async () => {
    const expiring = await createLink(s.api, s.org.test, { expiresInSeconds: 900 })
    s.api.database.setNow(new Date(Date.parse(expiring.expiresAt) + 1000))
    try {
      const expired = await s.page.goto(expiring.hostedUrl)
      expect(expired?.status()).toBe(410)
      await expect(s.page.locator('h1').textContent()).resolves.toBe('This link has expired')
      await screenshot(s.page, '07-expired')
    } finally {
      s.api.database.setNow(new Date())
    }
    const missing = await s.page.goto(`${s.api.url}/signup/00000000-0000-4000-8000-000000000000`)
    expect(missing?.status()).toBe(404)
    await screenshot(s.page, '08-not-found')
    // A live link made while the service had a Meta app; the API refuses new ones without it.
    const live = await links.createOnboardingLink(
      s.api.core,
      testCreationRules(),
      { organizationId: s.org.id, mode: 'live' },
      { name: 'Made before the Meta app was removed' },
    )
    const unconfigured = await s.page.goto(live.hostedUrl)
    expect(unconfigured?.status()).toBe(503)
    await expect(s.page.locator('h1').textContent()).resolves.toContain('not available')
    await screenshot(s.page, '09-not-configured')
  })

  it('renders a name containing markup as text', async () => {
    const name = '<img src=x onerror="window.__pwned=1"><b>Bold & Co</b>'
    const link = await createLink(s.api, s.org.test, { name })
    await s.page.goto(link.hostedUrl)
    await expect(s.page.locator('h1').textContent()).resolves.toBe(name)
    expect(await s.page.locator('h1 img, h1 b').count()).toBe(0)
    expect(await s.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
    await expect(s.page.title()).resolves.toContain('<b>Bold & Co</b>')
    await s.page.locator('#connect:enabled').waitFor()
    await screenshot(s.page, '10-markup-name')
  })
})

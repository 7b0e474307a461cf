import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestApi, type TestApi } from '../support/harness'
import { completeWith, createLink } from '../support/signup'
import {
  connectWith,
  launchChromium,
  newContext,
  type Receiver,
  screenshot,
  startReceiver,
  watchErrors,
} from './support'

describe('hosted signup in a real browser', () => {
  let browser: Browser
  let api: TestApi
  let receiver: Receiver
  let org: { id: string; test: string; live: string }
  let context: BrowserContext
  let page: Page
  let problems: string[]

  beforeAll(async () => {
    ;[browser, api, receiver] = await Promise.all([
      launchChromium(),
      startTestApi(),
      startReceiver(),
    ])
  })
  afterAll(async () => {
    await Promise.allSettled([browser?.close(), api?.close(), receiver?.close()])
  })
  beforeEach(async () => {
    org = await api.createOrganization()
    context = await newContext(browser)
    page = await context.newPage()
    problems = watchErrors(page)
  })
  afterEach(async () => {
    await context.close()
  })

  const read = async (path: string) =>
    (await (await api.request(path, { key: org.test })).json()).data

  it('success: lands on redirectUrl and every read shows the connected number', async () => {
    const link = await createLink(api, org.test, {
      redirectUrl: `${receiver.url}/whatsapp/callback?tenant=7`,
      metadata: { crmAccountId: 'crm_789' },
    })
    await page.goto(link.hostedUrl)
    await expect(page.locator('h1').textContent()).resolves.toBe('Acme Corp')
    await page.locator('#connect:enabled').waitFor()
    await screenshot(page, '01-pending')
    await connectWith(page, { scenario: 'success', order: 'event-first' }, '02-sandbox-popup')
    await page.waitForURL((url) => url.href.startsWith(`${receiver.url}/whatsapp/callback`))

    const landed = new URL(page.url())
    expect(Object.fromEntries(landed.searchParams)).toEqual({
      tenant: '7',
      onboarding_link_id: link.id,
      external_id: 'customer-123',
      status: 'success',
    })
    expect(landed.href).not.toContain('crm_789')

    const got = await read(`/v1/onboarding-links/${link.id}`)
    expect(got).toMatchObject({ status: 'completed', isPhoneRegistered: true })
    expect(got.phoneNumber).toMatch(/^\+\d+$/)
    expect(got.completedAt).not.toBeNull()
    const phone = await read(`/v1/phones/${got.phoneNumberId}`)
    expect(phone).toMatchObject({
      phoneNumber: got.phoneNumber,
      metadata: { crmAccountId: 'crm_789' },
    })
    const health = await read(`/v1/phones/${got.phoneNumberId}/health`)
    expect(health.capabilities).toMatchObject({ canSendMessages: true, canReceiveMessages: true })
    const connection = await read(`/v1/wabas/${got.wabaId}/connection`)
    expect(connection.connectedAccount.source).toBe('embedded_signup')
    expect(connection.phones.map((p: { phoneNumber: string }) => p.phoneNumber)).toContain(
      got.phoneNumber,
    )

    // Opening the link again shows it is done, and changes nothing.
    const again = await page.goto(link.hostedUrl)
    expect(again?.status()).toBe(200)
    await expect(page.locator('[data-state="completed"]').isVisible()).resolves.toBe(true)
    await screenshot(page, '03-already-completed')
    expect(problems).toEqual([])
  })

  it('coexistence, login callback first, no redirectUrl: the result is shown inline', async () => {
    const link = await createLink(api, org.test, { allowCoexistence: true })
    await page.goto(link.hostedUrl)
    await connectWith(page, { scenario: 'coexistence', order: 'callback-first' })
    const success = page.locator('#result-success')
    await success.waitFor({ state: 'visible' })
    const got = await read(`/v1/onboarding-links/${link.id}`)
    await expect(success.textContent()).resolves.toContain(got.phoneNumber)
    await screenshot(page, '04-success-inline')
    const phone = await read(`/v1/phones/${got.phoneNumberId}`)
    expect(phone).toMatchObject({ isCoexistence: true, isRegistered: true })
    expect(problems).toEqual([])
  })

  it('cancel: says so inline, records the step, and a retry can still succeed', async () => {
    const link = await createLink(api, org.test, { redirectUrl: `${receiver.url}/cb` })
    await page.goto(link.hostedUrl)
    await connectWith(page, { scenario: 'cancel' })
    const problem = page.locator('#result-problem')
    await problem.waitFor({ state: 'visible' })
    await expect(problem.textContent()).resolves.toContain('You stopped before finishing')
    const back = new URL((await page.locator('#return').getAttribute('href')) ?? '')
    expect(back.searchParams.get('status')).toBe('error')
    await screenshot(page, '05-cancelled')
    expect(await read(`/v1/onboarding-links/${link.id}`)).toMatchObject({
      status: 'pending',
      cancelStep: 'PHONE_NUMBER_SETUP',
    })

    await page.click('#retry')
    await connectWith(page, { scenario: 'success', order: 'callback-only' })
    await page.waitForURL((url) => url.href.startsWith(`${receiver.url}/cb`))
    expect(new URL(page.url()).searchParams.get('status')).toBe('success')
    expect((await read(`/v1/onboarding-links/${link.id}`)).status).toBe('completed')
  })

  it('error: redirects with status=error and a brief message, link still pending', async () => {
    const link = await createLink(api, org.test, { redirectUrl: `${receiver.url}/cb` })
    await page.goto(link.hostedUrl)
    await connectWith(page, { scenario: 'error' })
    await page.waitForURL((url) => url.href.startsWith(`${receiver.url}/cb`))
    const landed = new URL(page.url())
    expect(landed.searchParams.get('status')).toBe('error')
    expect(landed.searchParams.get('onboarding_link_id')).toBe(link.id)
    expect(landed.searchParams.get('error')).toMatch(/verified name/)
    expect((await read(`/v1/onboarding-links/${link.id}`)).status).toBe('pending')
  })

  it('already connected: a second link for the same WABA shows the error inline', async () => {
    const first = await createLink(api, org.test)
    expect((await completeWith(api, first.id, 'success', { sharedWaba: true })).res.status).toBe(
      200,
    )
    const second = await createLink(api, org.test, { name: 'Acme Second Store' })
    await page.goto(second.hostedUrl)
    await connectWith(page, { scenario: 'success', sharedWaba: true })
    const problem = page.locator('#result-problem')
    await problem.waitFor({ state: 'visible' })
    await expect(problem.textContent()).resolves.toContain('already connected')
    await screenshot(page, '06-error-already-connected')
    expect((await read(`/v1/onboarding-links/${second.id}`)).status).toBe('pending')
  })

  it('expired, unknown and unconfigured links get their own pages', async () => {
    const expiring = await createLink(api, org.test, { expiresInSeconds: 900 })
    api.database.setNow(new Date(Date.parse(expiring.expiresAt) + 1000))
    try {
      const expired = await page.goto(expiring.hostedUrl)
      expect(expired?.status()).toBe(410)
      await expect(page.locator('h1').textContent()).resolves.toBe('This link has expired')
      await screenshot(page, '07-expired')
    } finally {
      api.database.setNow(new Date())
    }
    const missing = await page.goto(`${api.url}/signup/00000000-0000-4000-8000-000000000000`)
    expect(missing?.status()).toBe(404)
    await screenshot(page, '08-not-found')
    const live = await createLink(api, org.live)
    const unconfigured = await page.goto(live.hostedUrl)
    expect(unconfigured?.status()).toBe(503)
    await expect(page.locator('h1').textContent()).resolves.toContain('not available')
    await screenshot(page, '09-not-configured')
  })

  it('renders a name containing markup as text', async () => {
    const name = '<img src=x onerror="window.__pwned=1"><b>Bold & Co</b>'
    const link = await createLink(api, org.test, { name })
    await page.goto(link.hostedUrl)
    await expect(page.locator('h1').textContent()).resolves.toBe(name)
    expect(await page.locator('h1 img, h1 b').count()).toBe(0)
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
    await expect(page.title()).resolves.toContain('<b>Bold & Co</b>')
    await page.locator('#connect:enabled').waitFor()
    await screenshot(page, '10-markup-name')
  })
})

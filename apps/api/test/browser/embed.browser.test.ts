import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readData } from '../support/responses'
import { createLink } from '../support/signup'
import { connectWith, type PopupChoice, screenshot, useBrowserSuite } from './support'

interface Platform {
  origin: string
  close: () => Promise<void>
}

/**
 * A platform's own page on another origin (127.0.0.1 on its own port): it loads our
 * embed.js and calls Onboard.open on a click, keeping what the promise settled with.
 */
async function startPlatform(apiUrl: string): Promise<Platform> {
  const html = `<!doctype html><html lang="en"><title>Platform</title>
<button type="button" id="open">Connect WhatsApp</button>
<script src="${apiUrl}/embed.js"></script>
<script>
  window.settled = []
  document.getElementById('open').addEventListener('click', () => {
    const hostedUrl = new URLSearchParams(location.search).get('link')
    Onboard.open(hostedUrl).then(
      (result) => window.settled.push({ resolved: result }),
      (error) => window.settled.push({ rejected: { code: error.code, message: error.message } }),
    )
  })
</script></html>`
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

type Settled = { resolved: Record<string, unknown> } | { rejected: { code: string } }

/** What Onboard.open settled with, once it has (bounded by the context's 10 s timeout). */
async function settledWith(page: Page): Promise<Settled> {
  await page.waitForFunction(() => (window as unknown as { settled: unknown[] }).settled.length > 0)
  return page.evaluate(() => (window as unknown as { settled: Settled[] }).settled[0] as Settled)
}

describe('the embedded flow (embed.js) in a real browser', () => {
  const s = useBrowserSuite()
  // Two platforms: one listed on the links, one not. Each port is its own origin.
  let listed: Platform
  let unlisted: Platform

  beforeAll(async () => {
    ;[listed, unlisted] = await Promise.all([startPlatform(s.api.url), startPlatform(s.api.url)])
  })
  afterAll(async () => {
    await Promise.allSettled([listed?.close(), unlisted?.close()])
  })

  const readLink = async (id: string) =>
    readData(await s.api.request(`/v1/onboarding-links/${id}`, { key: s.org.test }), 'link')

  /** Opens the link from `platform`'s page with Onboard.open; returns the hosted popup. */
  async function openFrom(platform: Platform, hostedUrl: string): Promise<Page> {
    await s.page.goto(`${platform.origin}/?link=${encodeURIComponent(hostedUrl)}`)
    const [hosted] = await Promise.all([s.page.waitForEvent('popup'), s.page.click('#open')])
    await hosted.waitForLoadState('domcontentloaded')
    expect(new URL(hosted.url()).searchParams.get('embed')).toBe('1')
    return hosted
  }

  /** Plays a scenario in the hosted popup and waits for it to close itself. */
  async function signUpIn(hosted: Page, choice: PopupChoice, shot?: string): Promise<void> {
    const closed = hosted.waitForEvent('close')
    await connectWith(hosted, choice, shot)
    await closed
  }

  it('a listed origin hears the success, and the link is completed', async () => {
    const link = await createLink(s.api, s.org.test, {
      allowedOrigins: [listed.origin, 'https://other.example'],
      redirectUrl: `${s.receiver.url}/cb`,
    })
    const hosted = await openFrom(listed, link.hostedUrl)
    await screenshot(hosted, 'embed-01-hosted-popup')
    await signUpIn(hosted, { scenario: 'success', order: 'event-first' })

    const got = await readLink(link.id)
    expect(got.status).toBe('completed')
    expect(got.phoneNumberId).not.toBeNull()
    expect(await settledWith(s.page)).toEqual({
      resolved: {
        status: 'success',
        onboardingLinkId: link.id,
        externalId: 'customer-123',
        phoneNumberId: got.phoneNumberId,
      },
    })
    // The platform stayed where it was: embedded, the page closes instead of redirecting.
    expect(new URL(s.page.url()).origin).toBe(listed.origin)
    expect(s.problems).toEqual([])
  })

  it('an unlisted origin hears nothing, though the signup in its popup completes', async () => {
    const link = await createLink(s.api, s.org.test, { allowedOrigins: [listed.origin] })
    const hosted = await openFrom(unlisted, link.hostedUrl)
    await signUpIn(hosted, { scenario: 'success', order: 'callback-first' })

    expect((await readLink(link.id)).status).toBe('completed')
    // The page posted only to the listed origin, which the browser did not deliver here:
    // all this page learns is that the popup closed.
    expect(await settledWith(s.page)).toEqual({
      resolved: { status: 'closed', onboardingLinkId: link.id, externalId: null },
    })
  })

  it('a cancel resolves with cancelled, and the link stays pending for another try', async () => {
    const link = await createLink(s.api, s.org.test, { allowedOrigins: [listed.origin] })
    const hosted = await openFrom(listed, link.hostedUrl)
    await signUpIn(hosted, { scenario: 'cancel' })

    expect(await settledWith(s.page)).toEqual({
      resolved: {
        status: 'cancelled',
        onboardingLinkId: link.id,
        externalId: 'customer-123',
        error: { code: 'signup_cancelled', message: expect.any(String) },
      },
    })
    expect(await readLink(link.id)).toMatchObject({
      status: 'pending',
      cancelStep: 'PHONE_NUMBER_SETUP',
    })
  })

  it('the end-user closing the popup resolves with closed; a forged result is ignored', async () => {
    const link = await createLink(s.api, s.org.test, { allowedOrigins: [listed.origin] })
    const hosted = await openFrom(listed, link.hostedUrl)
    await hosted.locator('#connect:enabled').waitFor()
    // A result that does not come from the popup (here the platform page's own window, as
    // any script or frame could post) is not the page's answer.
    await s.page.evaluate(() =>
      window.postMessage(
        { type: 'onboard:result', result: { status: 'success', onboardingLinkId: 'forged' } },
        '*',
      ),
    )
    await hosted.close()

    expect(await settledWith(s.page)).toEqual({
      resolved: { status: 'closed', onboardingLinkId: link.id, externalId: null },
    })
    expect((await readLink(link.id)).status).toBe('pending')
  })

  it('a blocked popup rejects with popup_blocked, and nothing is opened', async () => {
    const link = await createLink(s.api, s.org.test, { allowedOrigins: [listed.origin] })
    await s.page.goto(`${listed.origin}/?link=${encodeURIComponent(link.hostedUrl)}`)
    // A popup blocker answers window.open with null; Playwright's Chromium runs without one.
    await s.page.evaluate(() => {
      window.open = () => null
    })
    await s.page.click('#open')
    expect(await settledWith(s.page)).toEqual({
      rejected: { code: 'popup_blocked', message: expect.stringMatching(/blocked the popup/) },
    })
    expect(s.context.pages()).toHaveLength(1)
  })
})

import { mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { startTestApi, type TestApi } from '../support/harness'

/** Git-ignored; a person can open these to look at every page state. */
const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../../../test-results/screenshots/', import.meta.url),
)
const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
]

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: 20_000,
  })
}

/** A fresh context per test; every wait on it is bounded. */
async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: WIDTHS[0] })
  context.setDefaultTimeout(10_000)
  context.setDefaultNavigationTimeout(10_000)
  return context
}

/** Console errors and uncaught exceptions (CSP violations show up here too). */
function watchErrors(page: Page): string[] {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  return problems
}

/** Saves the page at phone and desktop widths as `<name>-390.png` and `<name>-1280.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const original = page.viewportSize()
  for (const size of WIDTHS) {
    await page.setViewportSize(size)
    await page.screenshot({ path: `${SCREENSHOT_DIR}${name}-${size.width}.png`, fullPage: true })
  }
  if (original) await page.setViewportSize(original)
}

interface Receiver {
  url: string
  close: () => Promise<void>
}

/** The customer's redirect target: a tiny page on 127.0.0.1 so the landing URL can be asserted. */
async function startReceiver(): Promise<Receiver> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end('<!doctype html><title>Customer app</title><h1>Back in the customer app</h1>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export interface PopupChoice {
  scenario: 'success' | 'coexistence' | 'only-waba' | 'tab-closed' | 'cancel' | 'error'
  order?: 'event-first' | 'callback-first' | 'callback-only'
  sharedWaba?: boolean
  registerFails?: boolean
}

/** Clicks Connect on the hosted page and plays a scenario in the sandbox popup it opens. */
export async function connectWith(page: Page, choice: PopupChoice, shot?: string): Promise<void> {
  await page.locator('#connect:enabled').waitFor()
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#connect')])
  await popup.waitForLoadState('domcontentloaded')
  if (choice.order) await popup.selectOption('[data-option="order"]', choice.order)
  if (choice.sharedWaba) await popup.check('[data-option="shared-waba"]')
  if (choice.registerFails) await popup.check('[data-option="register-fails"]')
  if (shot) await screenshot(popup, shot)
  await Promise.all([
    popup.waitForEvent('close'),
    popup.click(`button[data-scenario="${choice.scenario}"]`),
  ])
}

/** What a browser suite's tests work with; the per-test fields are new in every test. */
export interface BrowserSuite {
  browser: Browser
  api: TestApi
  receiver: Receiver
  org: { id: string; test: string; live: string }
  context: BrowserContext
  page: Page
  /** Console errors and failed requests seen by `page`. */
  problems: string[]
}

/**
 * Registers the hooks every browser suite shares: one Chromium, API and webhook receiver per
 * file; a new organisation, context and page per test. Read the fields inside tests.
 */
export function useBrowserSuite(): BrowserSuite {
  const suite = {} as BrowserSuite
  beforeAll(async () => {
    ;[suite.browser, suite.api, suite.receiver] = await Promise.all([
      launchChromium(),
      startTestApi(),
      startReceiver(),
    ])
  })
  afterAll(async () => {
    await Promise.allSettled([suite.browser?.close(), suite.api?.close(), suite.receiver?.close()])
  })
  beforeEach(async () => {
    suite.org = await suite.api.createOrganization()
    suite.context = await newContext(suite.browser)
    suite.page = await suite.context.newPage()
    suite.problems = watchErrors(suite.page)
  })
  afterEach(async () => {
    await suite.context.close()
  })
  return suite
}

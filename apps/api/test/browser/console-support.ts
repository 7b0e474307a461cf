import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { type ConsoleUserFixture, createConsoleUser } from '../support/console'
import type { TestApi } from '../support/harness'
import { screenshot } from './support'

/** axe-core's own build, from node_modules; evaluated in the page (the CSP allows no inline tag). */
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

const CONSOLE_WIDTHS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<unknown> } }).axe
    const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: AxeViolation[]
    }
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/**
 * Runs axe at 390 px and at 1280 px and expects no serious or critical violation; keeps a
 * screenshot of each width as `console-<name>-<width>.png`. Leaves the page at 390 px.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  for (const size of CONSOLE_WIDTHS) {
    await page.setViewportSize(size)
    const violations = await axeViolations(page)
    expect(
      violations,
      `${name} at ${size.width}px: ${JSON.stringify(violations, null, 1)}`,
    ).toEqual([])
    // Nothing is wider than the window (no sideways scrolling of the whole page).
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow, `${name} scrolls sideways at ${size.width}px`).toBeLessThanOrEqual(0)
  }
  await screenshot(page, `console-${name}`)
  await page.setViewportSize(CONSOLE_WIDTHS[0])
}

/** Signs in through the real form, typing as a person would; lands on the first page. */
export async function signInInBrowser(
  page: Page,
  api: TestApi,
  user: ConsoleUserFixture,
): Promise<void> {
  await page.goto(`${api.url}/console`)
  await page.getByLabel('Email').fill(user.email)
  await page.getByLabel('Password').fill(user.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(/\/console\/links/)
}

/** A new organisation with a console user, signed in on `page`. */
export async function signInNewUser(
  page: Page,
  api: TestApi,
  options: Parameters<typeof createConsoleUser>[1] = {},
): Promise<ConsoleUserFixture> {
  const user = await createConsoleUser(api, options)
  await signInInBrowser(page, api, user)
  return user
}

/** Flips the test/live switch on the current page and waits for the page it returns to. */
export async function switchMode(page: Page, to: 'test' | 'live'): Promise<void> {
  await page.getByRole('button', { name: `Switch to ${to}` }).click()
  await page.waitForSelector(`[data-mode="${to}"]`)
}

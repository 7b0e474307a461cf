import { describe, expect, it } from 'vitest'
import { createConsoleUser } from '../support/console'
import {
  axeViolations,
  expectAccessible,
  signInInBrowser,
  signInNewUser,
  switchMode,
} from './console-support'
import { useBrowserSuite } from './support'

describe('console in a browser', () => {
  const suite = useBrowserSuite()

  it('signs in with the keyboard alone, with no serious accessibility problem on the sign-in page', async () => {
    const { page, api } = suite
    const user = await createConsoleUser(api)
    await page.goto(`${api.url}/console/links`)
    await page.waitForURL(/\/console\/sign-in/)
    await expectAccessible(page, 'sign-in')
    // Tab from the top: skip link, Email, Password, Sign in.
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email')
    await page.keyboard.type(user.email)
    await page.keyboard.press('Tab')
    await page.keyboard.type(user.password)
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/console\/links$/)
    expect(suite.problems).toEqual([])
  })

  it('has an axe check that does catch a problem (an unlabelled field)', async () => {
    const { page, api } = suite
    await page.goto(`${api.url}/console/sign-in`)
    await page.evaluate(() => document.querySelector('label[for="email"]')?.remove())
    const ids = (await axeViolations(page)).map((v) => v.id)
    expect(ids).toContain('label')
  })

  it('shows a wrong password plainly and keeps the email', async () => {
    const { page, api } = suite
    const user = await createConsoleUser(api)
    await page.goto(`${api.url}/console/sign-in`)
    await page.getByLabel('Email').fill(user.email)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Wrong email or password.')
    expect(await page.getByLabel('Email').inputValue()).toBe(user.email)
    await expectAccessible(page, 'sign-in-error')
    await signInInBrowser(page, api, user)
  })

  it('names its pages in the navigation, switches between test and live, and banners test data', async () => {
    const { page, api } = suite
    await signInNewUser(page, api)
    await expectAccessible(page, 'links-empty')
    const nav = page.getByRole('navigation', { name: 'Console' })
    for (const name of ['Links', 'Numbers', 'Sessions', 'Webhooks', 'API keys']) {
      expect(await nav.getByRole('link', { name, exact: true }).count(), name).toBe(1)
    }
    expect(await page.getByRole('note').textContent()).toContain('Test data.')
    await switchMode(page, 'live')
    expect(await page.getByRole('note').count()).toBe(0)
    await switchMode(page, 'test')
    expect(await page.getByRole('note').count()).toBe(1)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/console\/sign-in$/)
    await page.goto(`${api.url}/console/links`)
    await page.waitForURL(/\/console\/sign-in\?next=/)
    expect(suite.problems).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import { createConsoleUser } from '../support/console'
import { solidPng } from '../support/images'
import { createLink } from '../support/signup'
import { expectAccessible, signInInBrowser } from './console-support'
import { screenshot, useBrowserSuite } from './support'

describe('branding in a real browser', () => {
  const s = useBrowserSuite()

  it('is set on the console’s Branding page and shown on the hosted page, within its CSP', async () => {
    const { page, api } = s
    const user = await createConsoleUser(api, {
      organizationId: s.org.id,
      keys: { test: s.org.test, live: s.org.live },
    })
    await signInInBrowser(page, api, user)
    await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Branding' })
      .click()
    await page.waitForURL(/\/console\/branding$/)
    await expectAccessible(page, 'branding')

    // A colour white text is unreadable on: refused next to its field, what was typed kept.
    await page.getByLabel('Display name').fill('Acme Messaging')
    await page.getByLabel('Accent colour').fill('#ffff00')
    await page.getByRole('button', { name: 'Save branding' }).click()
    await expect
      .poll(() => page.locator('#accentColor-error').textContent())
      .toMatch(/contrast of 1\.07:1/)
    expect(await page.getByLabel('Display name').inputValue()).toBe('Acme Messaging')
    expect(await page.getByLabel('Accent colour').getAttribute('aria-invalid')).toBe('true')
    await expectAccessible(page, 'branding-errors')

    await page.getByLabel('Accent colour').fill('#1a73e8')
    await page.getByLabel('Support email').fill('help@acme.example')
    await page.getByLabel('Support page').fill('https://acme.example/help')
    await page.getByRole('button', { name: 'Save branding' }).click()
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Branding saved.')

    await page.getByLabel('Upload a logo').setInputFiles({
      name: 'logo.png',
      mimeType: 'image/png',
      buffer: solidPng(96, 48, [26, 115, 232]),
    })
    await page.getByRole('button', { name: 'Upload logo' }).click()
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Logo uploaded.')
    const preview = page.getByRole('img', { name: 'Your current logo' })
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96)
    await expectAccessible(page, 'branding-saved')

    // The one problem so far is the refused form's own answer (a 400 page).
    expect(s.problems).toEqual([expect.stringContaining('status of 400')])
    s.problems.length = 0

    const link = await createLink(api, s.org.test)
    await page.goto(link.hostedUrl)
    await page.locator('#connect:enabled').waitFor()
    expect(await page.locator('[data-field="brand-name"]').textContent()).toBe('Acme Messaging')
    const logo = page.locator('img.brand-logo')
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96)
    // The accent reached the button: the style element passed the page's CSP by its hash.
    const background = await page
      .locator('#connect')
      .evaluate((button) => getComputedStyle(button).backgroundColor)
    expect(background).toBe('rgb(26, 115, 232)')
    const help = page.locator('[data-field="support"]')
    expect(await help.getByRole('link', { name: 'help@acme.example' }).getAttribute('href')).toBe(
      'mailto:help@acme.example',
    )
    expect(await help.getByRole('link', { name: 'visit the help page' }).getAttribute('href')).toBe(
      'https://acme.example/help',
    )
    await screenshot(page, 'branding-hosted-page')
    // No CSP violation, no failed request (a blocked style or image would be reported here).
    expect(s.problems).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import { createSession } from '../support/sessions'
import { expectAccessible, signInNewUser, switchMode } from './console-support'
import { connectWith, useBrowserSuite } from './support'

describe('console links and sessions in a browser', () => {
  const suite = useBrowserSuite()

  it('creates a link, shows its URL and QR code, and fills its timeline as the end-user goes', async () => {
    const { page, api, context, receiver } = suite
    const user = await signInNewUser(page, api)
    // Start from live and switch to test, as a person checking the switch would.
    await switchMode(page, 'live')
    await switchMode(page, 'test')
    expect(await page.getByRole('note').textContent()).toContain('Test data.')
    await expectAccessible(page, 'links-empty')

    await page.getByRole('link', { name: 'Create a link' }).click()
    await page.waitForURL(/\/console\/create-link$/)
    await expectAccessible(page, 'create-link')
    // A mistake first: the error is next to its field.
    await page.getByLabel('Redirect URL').fill('ftp://example.com')
    await page.getByRole('button', { name: 'Create link' }).click()
    await page.locator('#name-error').waitFor()
    expect(await page.locator('#name-error').textContent()).toBe('must not be empty or blank')
    expect(await page.locator('#redirectUrl-error').textContent()).toMatch(/ftp/)
    await expectAccessible(page, 'create-link-errors')

    await page.getByLabel('Name', { exact: true }).fill('Acme Corp')
    await page.getByLabel('External ID').fill('cust-42')
    await page.getByLabel('Redirect URL').fill(`${receiver.url}/back`)
    await page.getByLabel('Webhook URL', { exact: true }).fill(`${receiver.url}/hooks`)
    await page.getByLabel('phone_number.connected').check()
    await page.getByRole('button', { name: 'Create link' }).click()
    await page.locator('#hosted-url').waitFor()
    const hostedUrl = (await page.locator('#hosted-url').textContent()) ?? ''
    expect(hostedUrl).toMatch(new RegExp(`^${api.url}/signup/[0-9a-f-]{36}$`))
    expect(await page.locator('[data-field="qr"] svg[role="img"]').count()).toBe(1)
    // The secret the webhook got is shown once, with its own copy button.
    expect(await page.locator('#webhook-secret').textContent()).toMatch(/^whsec_/)
    await expectAccessible(page, 'link-created')
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url })
    await page.getByRole('button', { name: 'Copy URL' }).click()
    await expect.poll(() => page.locator('#copy-status').textContent()).toBe('Copied.')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(hostedUrl)
    const linkPage = hostedUrl.replace(`${api.url}/signup/`, `${api.url}/console/links/`)

    // The end-user opens the link in another tab and connects through the sandbox.
    const endUser = await context.newPage()
    await endUser.goto(hostedUrl)
    await connectWith(endUser, { scenario: 'success', order: 'event-first' })
    await endUser.waitForURL((url) => url.href.startsWith(`${receiver.url}/back`))
    await endUser.close()

    await page.goto(linkPage)
    const kinds = async () =>
      page
        .locator('[data-field="timeline"] li')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')))
    // The page's last report may still be landing when the callback's redirect happens.
    await expect
      .poll(async () => {
        await page.reload()
        return kinds()
      })
      .toEqual([
        'created',
        'opened',
        'connect_pressed',
        'meta_result',
        'attempt',
        'completed',
        'delivery',
      ])
    const timeline = (await page.locator('[data-field="timeline"]').textContent()) ?? ''
    expect(timeline).toContain('Opened in a browser.')
    expect(timeline).toContain('Meta: the end-user finished Embedded Signup.')
    expect(timeline).toContain(`to ${receiver.url}/hooks`)
    expect(await page.locator('[data-field="status"]').textContent()).toBe('completed')
    expect(await page.locator('[data-field="phone"]').textContent()).toMatch(/\+\d+/)
    await expectAccessible(page, 'link-completed')

    await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Links' })
      .click()
    await page.waitForURL(/\/console\/links$/)
    expect(await page.locator('tr[data-step="completed"] [data-field="count"]').textContent()).toBe(
      '1',
    )
    await page.getByLabel('Status').selectOption('completed')
    await page.getByLabel('Name or external ID').fill('cust-42')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL(/status=completed/)
    expect(await page.getByRole('link', { name: 'Acme Corp' }).count()).toBe(1)
    await expectAccessible(page, 'links')
    // The one problem Chromium reports is the form answered 400 on purpose (no CSP
    // violation, no script error).
    expect(suite.problems).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ])
    void user
  })

  it('lists sessions and shows one, and says "not found" for what is not there', async () => {
    const { page, api } = suite
    const user = await signInNewUser(page, api)
    const session = await createSession(api, user.keys.test, {
      metadata: { externalUserId: 'u-7' },
    })
    await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Sessions' })
      .click()
    await page.waitForURL(/\/console\/sessions$/)
    await expectAccessible(page, 'sessions')
    await page.getByRole('link', { name: session.id }).click()
    await page.waitForURL(new RegExp(`/console/sessions/${session.id}$`))
    expect(await page.locator('#session-url').textContent()).toBe(session.url)
    await expectAccessible(page, 'session')
    await page.goto(`${api.url}/console/links/00000000-0000-4000-8000-000000000000`)
    expect(await page.locator('h1').textContent()).toBe('Not found')
    await expectAccessible(page, 'not-found')
    await switchMode(page, 'live')
    await expectAccessible(page, 'links-live')
    expect(suite.problems).toEqual([
      'Failed to load resource: the server responded with a status of 404 (Not Found)',
    ])
  })
})

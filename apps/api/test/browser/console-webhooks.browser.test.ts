import { metaWebhooks } from '@onboard/core'
import { describe, expect, it } from 'vitest'
import { startReceiver, waitFor } from '../../../../workers/webhooks/test/support/receiver'
import { readData } from '../support/responses'
import { emitMetaWebhook, emittedReceiptId } from '../support/sessions'
import { completeWith, createLink } from '../support/signup'
import { startTestWorkers } from '../support/workers'
import { expectAccessible, signInNewUser } from './console-support'
import { useBrowserSuite } from './support'

describe('console in a browser: webhooks, numbers, API keys', () => {
  const suite = useBrowserSuite()

  it('creates an endpoint, sends a test event to a receiver on 127.0.0.1, sees the attempt and replays it', async () => {
    const { page, api } = suite
    const hook = await startReceiver(() => ({ status: 200, body: 'received, thanks' }))
    const workers = startTestWorkers(api)
    try {
      await signInNewUser(page, api)
      await page
        .getByRole('navigation', { name: 'Console' })
        .getByRole('link', { name: 'Webhooks' })
        .click()
      await page.waitForURL(/\/console\/webhooks$/)
      await expectAccessible(page, 'webhooks-empty')

      // A mistake first: the API's reasons appear next to the fields.
      await page.getByLabel('URL').fill('not a url')
      await page.getByRole('button', { name: 'Add endpoint' }).click()
      await page.waitForSelector('#new-url-error')
      expect(await page.locator('#new-events-error').textContent()).toMatch(/^Events /)
      await expectAccessible(page, 'webhooks-errors')
      // The refused form is a 400, which Chromium logs; that one is expected, nothing else.
      expect(suite.problems.splice(0)).toEqual([
        'Failed to load resource: the server responded with a status of 400 (Bad Request)',
      ])

      await page.getByLabel('URL').fill(hook.url)
      await page.getByLabel('Description (optional)').fill('Local receiver')
      await page.getByRole('checkbox', { name: 'message.sent' }).check()
      await page.getByRole('button', { name: 'Add endpoint' }).click()
      await page.waitForSelector('#new-secret')
      const secret = await page.locator('#new-secret').textContent()
      expect(secret).toMatch(/^whsec_/)
      await expectAccessible(page, 'webhook-created')

      await page.getByRole('button', { name: 'Send test event' }).click()
      await page.waitForURL(/done=tested/)
      await waitFor('the test event at the receiver', () => hook.requests.length === 1)
      // The page is server-rendered: reload until the attempt has been recorded.
      await expect
        .poll(async () => {
          await page.reload()
          return page.locator('tr.attempt').count()
        })
        .toBe(1)
      const attempt = page.locator('tr.attempt').first()
      expect(await attempt.textContent()).toContain('200')
      expect(await attempt.textContent()).toContain('received, thanks')
      await expectAccessible(page, 'webhook-attempt')

      await page.getByRole('button', { name: 'Replay' }).click()
      await page.waitForURL(/done=replayed/)
      await waitFor('the replay at the receiver', () => hook.requests.length === 2)
      expect(hook.requests[1]?.webhookId).toBe(hook.requests[0]?.webhookId)
      await expect
        .poll(async () => {
          await page.reload()
          return page.locator('tr.attempt').count()
        })
        .toBe(2)
      expect(await page.locator('tr.attempt').nth(1).textContent()).toContain('manual')

      // Disable with the keyboard alone: focus the button and press Enter.
      await page.getByRole('button', { name: 'Disable endpoint' }).focus()
      await page.keyboard.press('Enter')
      await page.waitForURL(/done=disabled/)
      expect(await page.getByRole('status').first().textContent()).toContain('Endpoint disabled')
      await page.getByRole('button', { name: 'Rotate secret' }).click()
      await page.waitForSelector('#new-secret')
      expect(await page.locator('#new-secret').textContent()).not.toBe(secret)
      await expectAccessible(page, 'webhook-rotated')
      expect(suite.problems).toEqual([])
    } finally {
      await workers.close()
      await hook.close()
    }
  })

  it('shows numbers with their health, a phone, a WABA and Meta’s receipts, accessibly', async () => {
    const { page, api } = suite
    const user = await signInNewUser(page, api)
    await page.goto(`${api.url}/console/numbers`)
    await expectAccessible(page, 'numbers-empty')
    const connectedLink = async (health: 'AVAILABLE' | 'BLOCKED') => {
      const link = await createLink(api, user.keys.test, { name: `Store ${health}` })
      await completeWith(api, link.id, 'success', { health })
      return readData(
        await api.request(`/v1/onboarding-links/${link.id}`, { key: user.keys.test }),
        'link',
      )
    }
    const available = await connectedLink('AVAILABLE')
    const blocked = await connectedLink('BLOCKED')
    await page.goto(`${api.url}/console/numbers`)
    expect(await page.getByText('Not ready').count()).toBeGreaterThan(0)
    await expectAccessible(page, 'numbers')
    await page.locator(`a[href="/console/numbers/${blocked.phoneNumberId}"]`).click()
    await page.waitForURL(/\/console\/numbers\/.+/)
    expect(await page.getByText('Meta suggests:').count()).toBe(1)
    await expectAccessible(page, 'number')
    await page.goto(`${api.url}/console/wabas/${available.wabaId}`)
    await expectAccessible(page, 'waba')

    const phone = await readData(
      await api.request(`/v1/phones/${available.phoneNumberId}`, { key: user.keys.test }),
      'phoneDetail',
    )
    const emitted = await emitMetaWebhook(api, user.keys.test, {
      kind: 'inbound_text',
      phoneNumberId: phone.metaPhoneNumberId,
    })
    expect(emitted.status).toBe(200)
    // The page lists a receipt once processing recorded whose it was.
    const receiptId = await emittedReceiptId(emitted)
    await metaWebhooks.processReceipt(api.core, receiptId)
    await page.goto(`${api.url}/console/meta-receipts`)
    expect(await page.locator('tr.receipt').count()).toBe(1)
    await expectAccessible(page, 'meta-receipts')
    expect(suite.problems).toEqual([])
  })

  it('creates a key (shown once) and revokes it with the keyboard', async () => {
    const { page, api } = suite
    await signInNewUser(page, api)
    await page.goto(`${api.url}/console/api-keys`)
    await expectAccessible(page, 'api-keys')
    await page.getByRole('button', { name: 'Create a test key' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForSelector('#new-key')
    const key = (await page.locator('#new-key').textContent()) as string
    expect(key).toMatch(/^sk_org_test_/)
    expect((await api.request('/v1/onboarding-links', { key })).status).toBe(200)
    await expectAccessible(page, 'api-key-created')
    const row = page.locator('tr', { hasText: `…${key.slice(-4)}` })
    await row.getByRole('button', { name: 'Revoke' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(/revoked=/)
    expect(await page.locator('tr', { hasText: `…${key.slice(-4)}` }).count()).toBe(0)
    expect((await api.request('/v1/onboarding-links', { key })).status).toBe(401)
    await expectAccessible(page, 'api-key-revoked')
    expect(suite.problems).toEqual([])
  })
})

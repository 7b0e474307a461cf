import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { readData } from '../support/responses'
import { createLink } from '../support/signup'
import { screenshot, useBrowserSuite } from './support'

describe('hosted signup in Spanish and Brazilian Portuguese, in a real browser', () => {
  const s = useBrowserSuite()

  const readLink = async (id: string) =>
    readData(await s.api.request(`/v1/onboarding-links/${id}`, { key: s.org.test }), 'link')

  /** Presses Connect and returns the sandbox popup once it has loaded. */
  async function openPopup(page: Page): Promise<Page> {
    await page.locator('#connect:enabled').waitFor()
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#connect')])
    await popup.waitForLoadState('domcontentloaded')
    return popup
  }

  async function finish(popup: Page, scenario: 'success' | 'cancel'): Promise<void> {
    await Promise.all([
      popup.waitForEvent('close'),
      popup.click(`button[data-scenario="${scenario}"]`),
    ])
  }

  it('a link in Spanish: the page and Meta’s (sandbox) window speak Spanish, and it connects', async () => {
    const link = await createLink(s.api, s.org.test, { locale: 'es' })
    await s.page.goto(link.hostedUrl)
    await expect(s.page.getAttribute('html', 'lang')).resolves.toBe('es')
    await expect(s.page.title()).resolves.toBe('Conectar WhatsApp — Acme Corp')
    await expect(s.page.locator('#connect').textContent()).resolves.toBe('Conectar WhatsApp')
    await expect(s.page.locator('.test-banner').textContent()).resolves.toContain('Modo de prueba.')
    await s.page.locator('#connect:enabled').waitFor()
    await screenshot(s.page, 'i18n-01-pending-es')

    const popup = await openPopup(s.page)
    await expect(popup.getAttribute('html', 'lang')).resolves.toBe('es')
    await expect(popup.locator('h1').textContent()).resolves.toBe(
      'Registro insertado de WhatsApp — sandbox',
    )
    await expect(popup.locator('button[data-scenario="success"]').textContent()).resolves.toBe(
      'Terminar (WABA y número nuevos)',
    )
    await expect(s.page.locator('#status').textContent()).resolves.toBe(
      'Completa los pasos en la ventana de Meta. No cierres esta página.',
    )
    await screenshot(popup, 'i18n-02-sandbox-popup-es')
    await finish(popup, 'success')

    const success = s.page.locator('#result-success')
    await success.waitFor({ state: 'visible' })
    const got = await readLink(link.id)
    expect(got.status).toBe('completed')
    await expect(success.locator('h2').textContent()).resolves.toBe('Tu número está conectado')
    await expect(success.locator('p').textContent()).resolves.toBe(
      `${got.phoneNumber} ya está conectado. Puedes cerrar esta ventana.`,
    )
    await screenshot(s.page, 'i18n-03-success-es')
    expect(s.problems).toEqual([])
  })

  it('a browser set to Brazilian Portuguese: page and window in pt-BR, cancel, retry, connect', async () => {
    // No locale on the link: the browser's Accept-Language (pt-BR) chooses.
    const context = await s.browser.newContext({ locale: 'pt-BR' })
    context.setDefaultTimeout(10_000)
    try {
      const page = await context.newPage()
      const problems: string[] = []
      page.on('pageerror', (error) => problems.push(error.message))
      const link = await createLink(s.api, s.org.test, { redirectUrl: `${s.receiver.url}/cb` })
      expect(link.locale).toBeNull()
      await page.goto(link.hostedUrl)
      await expect(page.getAttribute('html', 'lang')).resolves.toBe('pt-BR')
      await expect(page.locator('#connect').textContent()).resolves.toBe('Conectar o WhatsApp')
      await expect(page.locator('.footer').textContent()).resolves.toContain(
        'Nunca vemos sua senha do Facebook.',
      )
      await page.locator('#connect:enabled').waitFor()
      await screenshot(page, 'i18n-04-pending-pt-BR')

      const first = await openPopup(page)
      await expect(first.getAttribute('html', 'lang')).resolves.toBe('pt-BR')
      await expect(first.locator('h1').textContent()).resolves.toBe(
        'Cadastro incorporado do WhatsApp — sandbox',
      )
      await screenshot(first, 'i18n-05-sandbox-popup-pt-BR')
      await finish(first, 'cancel')
      const problem = page.locator('#result-problem')
      await problem.waitFor({ state: 'visible' })
      await expect(problem.locator('h2').textContent()).resolves.toBe('Você saiu antes de terminar')
      await expect(page.locator('#retry').textContent()).resolves.toBe('Tentar novamente')
      await expect(page.locator('#return').textContent()).resolves.toBe('Voltar para o aplicativo')
      await screenshot(page, 'i18n-06-cancelled-pt-BR')

      await page.click('#retry')
      await expect(page.locator('#status').textContent()).resolves.toBe(
        'Pode começar quando quiser.',
      )
      await finish(await openPopup(page), 'success')
      await page.waitForURL((url) => url.href.startsWith(`${s.receiver.url}/cb`))
      expect(new URL(page.url()).searchParams.get('status')).toBe('success')
      expect((await readLink(link.id)).status).toBe('completed')

      // Opened again, the finished link says so in Portuguese.
      await page.goto(link.hostedUrl)
      await expect(page.locator('h1').textContent()).resolves.toBe('Este número já está conectado')
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })
})

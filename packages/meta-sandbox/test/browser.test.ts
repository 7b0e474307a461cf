import { catalogues, type Locale } from '@onboard/views'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_ID, type MountedSandbox, startMountedSandbox } from './helpers'

let sb: MountedSandbox
beforeAll(async () => {
  sb = await startMountedSandbox()
})
afterAll(async () => {
  await sb.close()
})

function dialogUrl(params: Record<string, string>): string {
  const query = new URLSearchParams({
    app_id: APP_ID,
    config_id: '1234567890',
    response_type: 'code',
    override_default_response_type: 'true',
    origin: 'http://127.0.0.1:5555',
    login_id: 'login-1',
    version: 'v25.0',
    extras: JSON.stringify({
      setup: {
        business: {
          name: 'Acme </script><script>alert(1)</script>',
          email: 'owner@acme.test',
          phone: { code: 1, number: '6505551234' },
          address: { streetAddress1: '1 Main St', city: 'Menlo Park', country: 'US' },
          timezone: 'UTC-07:00',
        },
        phone: { displayName: 'Acme Orders', category: 'RESTAURANT', description: 'Pizza' },
        preVerifiedPhone: { ids: ['777000111222333'] },
      },
      featureType: 'whatsapp_business_app_onboarding',
      sessionInfoVersion: '3',
    }),
    ...params,
  })
  return `${sb.base}/dialog/embedded-signup?${query}`
}

describe('GET /sdk.js', () => {
  it('is JavaScript loadable cross-origin and defines FB from its own URL', async () => {
    const res = await fetch(`${sb.base}/sdk.js`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('javascript')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const source = await res.text()
    for (const needle of ['document.currentScript', 'window.FB', 'fbAsyncInit', 'window.open']) {
      expect(source).toContain(needle)
    }
    expect(source).toContain('/dialog/embedded-signup')
  })
})

describe('GET /{locale}/sdk.js', () => {
  it('serves the SDK under a Meta locale path, which it passes to the dialog as Meta’s does', async () => {
    for (const locale of ['en_US', 'es_LA', 'pt_BR']) {
      const res = await fetch(`${sb.base}/${locale}/sdk.js`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('javascript')
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
    }
    const source = await (await fetch(`${sb.base}/es_LA/sdk.js`)).text()
    expect(source).toMatch(/\blocale,/)
    for (const path of ['/es/sdk.js', '/es_la/sdk.js', '/es_LA_x/sdk.js']) {
      expect((await fetch(`${sb.base}${path}`)).status).toBe(404)
    }
  })
})

describe('GET /dialog/embedded-signup in the SDK’s locale', () => {
  const lang = (html: string) => /<html lang="([^"]*)">/.exec(html)?.[1]

  it.each<[string, Locale, string[]]>([
    [
      'es_LA',
      'es',
      ['Registro insertado de WhatsApp — sandbox', 'Nombre de la empresa', 'Cancelar'],
    ],
    ['es_ES', 'es', ['Terminar (WABA y número nuevos)']],
    [
      'pt_BR',
      'pt-BR',
      ['Cadastro incorporado do WhatsApp — sandbox', 'Nome da empresa', 'Cancelar'],
    ],
    ['pt_PT', 'pt-BR', ['Concluir (WABA e número novos)']],
    ['fr_FR', 'en', ['WhatsApp Embedded Signup — sandbox', 'Business name']],
  ])('locale=%s renders in %s', async (locale, expected, texts) => {
    const res = await fetch(dialogUrl({ locale }))
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(lang(html)).toBe(expected)
    for (const text of texts) expect(html).toContain(text)
    const data = /id="signup-dialog-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}'
    const words = (JSON.parse(data) as { text: { working: string } }).text
    expect(words.working).toBe(catalogues[expected].sandbox.script.working)
  })

  it('explains a wrong launch in that language', async () => {
    const res = await fetch(dialogUrl({ app_id: '1', locale: 'pt_BR' }))
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('ID de app inválido: 1 não é o app do sandbox.')
    expect(html).toContain('Não é possível continuar com este login')
  })

  it('speaks English without a locale, as Meta’s en_US default', async () => {
    const html = await (await fetch(dialogUrl({}))).text()
    expect(lang(html)).toBe('en')
    expect(html).toContain('Finish (new WABA and phone)')
  })
})

describe('GET /dialog/embedded-signup', () => {
  it('shows the app, configuration and every prefill field, escaped, under a strict CSP', async () => {
    const res = await fetch(dialogUrl({}))
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    const html = await res.text()
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('Acme &lt;/script&gt;')
    // The JSON island cannot be closed by the prefill either.
    expect(html.match(/<\/script>/g)?.length).toBe(2)
    for (const text of [
      APP_ID,
      '1234567890',
      'whatsapp_business_app_onboarding',
      'owner@acme.test',
      '+1 6505551234',
      '1 Main St, Menlo Park, US',
      'UTC-07:00',
      'Acme Orders',
      'RESTAURANT',
      '777000111222333',
    ]) {
      expect(html).toContain(text)
    }
    for (const scenario of ['success', 'coexistence', 'only-waba', 'cancel', 'error']) {
      expect(html).toContain(`data-scenario="${scenario}"`)
    }
    for (const option of [
      'expired-code',
      'shared-waba',
      'register-fails',
      'health',
      'rate-limit',
      'order',
    ]) {
      expect(html).toContain(`data-option="${option}"`)
    }
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"'\s]+\.(css|js)/)
  })

  it("refuses to start like Meta's dialog when the launch is wrong", async () => {
    const res = await fetch(
      dialogUrl({ app_id: '1', response_type: 'token', override_default_response_type: 'false' }),
    )
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('Invalid App ID')
    expect(html).toContain('response_type must be')
    expect(html).not.toContain('data-scenario=')
  })

  it('serves its own script and stylesheet', async () => {
    for (const [path, type] of [
      ['/assets/popup.js', 'javascript'],
      ['/assets/popup.css', 'text/css'],
    ] as const) {
      const res = await fetch(`${sb.base}${path}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain(type)
    }
  })
})

import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError, readList } from './support/responses'
import { createSession } from './support/sessions'
import { countLinks, createLink, type PageConfig } from './support/signup'

const UNKNOWN_LINK = '00000000-0000-4000-8000-000000000000'

describe('onboarding links: locale', () => {
  const api = useTestApi()
  const org = useOrganization(api)

  it('keeps a valid locale and returns it on create, GET and list; null when not given', async () => {
    for (const locale of ['en', 'es', 'pt-BR'] as const) {
      const created = await createLink(api, org.test, { locale })
      expect(created.locale).toBe(locale)
      const got = await api.request(`/v1/onboarding-links/${created.id}`, { key: org.test })
      expect((await readData(got, 'link')).locale).toBe(locale)
    }
    const plain = await createLink(api, org.test, { name: 'No language' })
    expect(plain.locale).toBeNull()
    const list = await readList(
      await api.request('/v1/onboarding-links?limit=100', { key: org.test }),
      'link',
    )
    const byName = new Map(list.data.map((link) => [link.name, link.locale]))
    expect(byName.get('No language')).toBeNull()
    expect(list.data.map((link) => link.locale)).toEqual(
      expect.arrayContaining(['en', 'es', 'pt-BR', null]),
    )
  })

  it.each([['fr'], ['pt'], ['ES'], ['es-MX'], [''], [7], [null]])(
    'refuses locale %j with a 400 naming locale, creating nothing',
    async (locale) => {
      const before = await countLinks(api)
      const res = await api.request('/v1/onboarding-links', {
        method: 'POST',
        key: org.test,
        json: { name: 'Acme Corp', locale },
      })
      const error = await readError(res, 400)
      expect(error.code).toBe('validation_error')
      expect(error.details?.map((d) => d.field)).toEqual(['locale'])
      expect(await countLinks(api)).toBe(before)
    },
  )

  it('another organisation, and the other mode, cannot read a link or its locale', async () => {
    const link = await createLink(api, org.test, { locale: 'pt-BR' })
    const other = await api.createOrganization()
    for (const key of [other.test, other.live, org.live]) {
      const res = await api.request(`/v1/onboarding-links/${link.id}`, { key })
      expect((await readError(res, 404)).code).toBe('not_found')
      const list = await readList(await api.request('/v1/onboarding-links', { key }), 'link')
      expect(list.data.map((l) => l.id)).not.toContain(link.id)
    }
  })
})

/** The hosted page as a browser with these headers gets it. */
async function openPage(
  api: ReturnType<typeof useTestApi>,
  path: string,
  acceptLanguage?: string,
): Promise<{
  res: Response
  html: string
  lang: string | undefined
  config: PageConfig | null
  /** signup.js's words, beside its config. */
  text: Record<string, unknown> | null
}> {
  const res = await api.request(
    path,
    acceptLanguage === undefined ? {} : { headers: { 'accept-language': acceptLanguage } },
  )
  const html = await res.text()
  const lang = /<html lang="([^"]*)">/.exec(html)?.[1]
  const match = /<script type="application\/json" id="signup-config">(.*?)<\/script>/s.exec(html)
  const config = match?.[1] ? (JSON.parse(match[1]) as PageConfig) : null
  const words = /<script type="application\/json" id="signup-text">(.*?)<\/script>/s.exec(html)
  const text = words?.[1] ? (JSON.parse(words[1]) as Record<string, unknown>) : null
  return { res, html, lang, config, text }
}

describe('hosted page language', () => {
  const api = useTestApi()
  const org = useOrganization(api)

  it('a link’s locale beats ?lang=, which beats Accept-Language, which beats English', async () => {
    const spanish = await createLink(api, org.test, { locale: 'es' })
    const byLocale = await openPage(api, `/signup/${spanish.id}?lang=pt-BR`, 'en-US,en;q=0.9')
    expect(byLocale.lang).toBe('es')
    expect(byLocale.html).toContain('Conectar WhatsApp')
    expect(byLocale.html).not.toContain('Connect WhatsApp')
    // The language did not come from the header, so the answer does not vary with it.
    expect(byLocale.res.headers.get('vary') ?? '').not.toMatch(/accept-language/i)

    const open = await createLink(api, org.test)
    const byQuery = await openPage(api, `/signup/${open.id}?lang=pt-BR`, 'es-MX,es;q=0.9')
    expect(byQuery.lang).toBe('pt-BR')
    expect(byQuery.html).toContain('Conectar o WhatsApp')
    expect(byQuery.res.headers.get('vary') ?? '').not.toMatch(/accept-language/i)

    const byHeader = await openPage(api, `/signup/${open.id}`, 'es-MX,es;q=0.9,en;q=0.5')
    expect(byHeader.lang).toBe('es')
    expect(byHeader.html).toContain('Modo de prueba.')
    expect(byHeader.res.headers.get('vary')).toMatch(/accept-language/i)
    expect(byHeader.res.headers.get('cache-control')).toBe('no-store')

    // An unknown ?lang= is ignored, not an error: the header decides.
    const unknownQuery = await openPage(api, `/signup/${open.id}?lang=fr`, 'pt-BR')
    expect(unknownQuery.res.status).toBe(200)
    expect(unknownQuery.lang).toBe('pt-BR')

    const fallback = await openPage(api, `/signup/${open.id}`, 'de-DE,fr;q=0.8')
    expect(fallback.lang).toBe('en')
    expect(fallback.html).toContain('Connect WhatsApp')
    expect((await openPage(api, `/signup/${open.id}`)).lang).toBe('en')
  })

  it.each([
    ['es', 'es'],
    ['es-419', 'es'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['pt-br', 'pt-BR'],
    ['fr;q=1, pt;q=0.8, es;q=0.9', 'es'],
    ['es;q=0.3, en;q=0.7', 'en'],
    ['es;q=0, pt-BR;q=0.1', 'pt-BR'],
    ['de, *;q=0.5, es;q=0.4', 'en'],
    ['es;q=abc, pt', 'pt-BR'],
    ['es;q=1.5, pt;q=0.2', 'pt-BR'],
    ['xx-YY, es-AR;q=0.9', 'es'],
    ['', 'en'],
  ])('Accept-Language %j reads as %s', async (header, lang) => {
    const link = await createLink(api, org.test)
    expect((await openPage(api, `/signup/${link.id}`, header)).lang).toBe(lang)
  })

  it('hands the script its words and loads the sandbox SDK in the page’s locale', async () => {
    const cases = [
      ['en', '/__sandbox/en_US/sdk.js', 'Try again'],
      ['es', '/__sandbox/es_LA/sdk.js', 'Intentar de nuevo'],
      ['pt-BR', '/__sandbox/pt_BR/sdk.js', 'Tentar novamente'],
    ] as const
    for (const [locale, sdkUrl, retry] of cases) {
      const link = await createLink(api, org.test, { locale })
      const page = await openPage(api, `/signup/${link.id}`)
      expect(page.lang).toBe(locale)
      expect(page.config).toMatchObject({ sdkUrl })
      expect(page.html).toContain(retry)
      const text = page.text as { ready: string; errors: Record<string, string> }
      expect(text.errors.waba_already_connected).toBeTruthy()
      const sdk = await api.request(sdkUrl)
      expect(sdk.status).toBe(200)
      expect(sdk.headers.get('content-type')).toMatch(/javascript/)
    }
    const es = await createLink(api, org.test, { locale: 'es' })
    const text = (await openPage(api, `/signup/${es.id}`)).text as Record<string, unknown>
    expect(text.followMetaWindow).toBe(
      'Completa los pasos en la ventana de Meta. No cierres esta página.',
    )
  })

  it('speaks the chosen language on the expired, not-found and session pages', async () => {
    const expiring = await createLink(api, org.test, { locale: 'pt-BR', expiresInSeconds: 900 })
    api.database.setNow(new Date(Date.parse(expiring.expiresAt) + 1000))
    try {
      const expired = await openPage(api, `/signup/${expiring.id}`, 'es')
      expect(expired.res.status).toBe(410)
      expect(expired.lang).toBe('pt-BR')
      expect(expired.html).toContain('Este link expirou')
    } finally {
      api.database.setNow(new Date())
    }

    const missing = await openPage(api, `/signup/${UNKNOWN_LINK}`, 'es-ES')
    expect(missing.res.status).toBe(404)
    expect(missing.lang).toBe('es')
    expect(missing.html).toContain('Este enlace no funciona')
    expect(missing.res.headers.get('vary')).toMatch(/accept-language/i)
    expect((await openPage(api, `/signup/${UNKNOWN_LINK}?lang=pt-BR`)).html).toContain(
      'Este link não funciona',
    )

    // Sessions have no locale of their own: ?lang= and Accept-Language choose.
    const session = await createSession(api, org.test)
    const path = new URL(session.url).pathname
    const byHeader = await openPage(api, path, 'pt-BR,pt;q=0.9')
    expect(byHeader.lang).toBe('pt-BR')
    expect(byHeader.config).toMatchObject({ sdkUrl: '/__sandbox/pt_BR/sdk.js' })
    const byQuery = await openPage(api, `${path}?lang=es`, 'pt-BR')
    expect(byQuery.lang).toBe('es')
    expect(byQuery.html).toContain('Conectar WhatsApp')
  })
})

describe('hosted page language with a Meta app configured', () => {
  const api = useTestApi({
    env: { META_APP_ID: '1234567890', META_APP_SECRET: 'live-secret', META_CONFIG_ID: '998877' },
  })
  const org = useOrganization(api)

  it('loads Facebook’s SDK in the matching locale for live links', async () => {
    const cases = [
      ['en', 'https://connect.facebook.net/en_US/sdk.js'],
      ['es', 'https://connect.facebook.net/es_LA/sdk.js'],
      ['pt-BR', 'https://connect.facebook.net/pt_BR/sdk.js'],
    ] as const
    for (const [locale, sdkUrl] of cases) {
      const link = await createLink(api, org.live, { locale })
      const page = await openPage(api, `/signup/${link.id}`)
      expect(page.config).toMatchObject({ mode: 'live', sdkUrl })
      expect(page.lang).toBe(locale)
    }
    const browserChosen = await createLink(api, org.live)
    expect((await openPage(api, `/signup/${browserChosen.id}`, 'pt-BR')).config).toMatchObject({
      sdkUrl: 'https://connect.facebook.net/pt_BR/sdk.js',
    })
  })
})

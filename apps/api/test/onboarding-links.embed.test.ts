import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError, readList } from './support/responses'
import { createLink, pageConfig } from './support/signup'

/** Each case: allowedOrigins that must be refused with 400, and the entry the error must name. */
const refusedOrigins: Array<[string, string[], string]> = [
  ['a path', ['https://app.example/embed'], 'allowedOrigins[0]'],
  ['a trailing slash', ['https://app.example/'], 'allowedOrigins[0]'],
  ['a query', ['https://app.example?x=1'], 'allowedOrigins[0]'],
  ['a fragment', ['https://app.example#top'], 'allowedOrigins[0]'],
  ['user info', ['https://user@app.example'], 'allowedOrigins[0]'],
  ['plain http on a public host', ['http://app.example'], 'allowedOrigins[0]'],
  ['a wildcard host', ['https://*.app.example'], 'allowedOrigins[0]'],
  ['not a URL', ['app.example'], 'allowedOrigins[0]'],
  ['another scheme', ['ftp://app.example'], 'allowedOrigins[0]'],
  ['a javascript: URL', ['javascript:alert(1)'], 'allowedOrigins[0]'],
  ['the null origin', ['null'], 'allowedOrigins[0]'],
  ['a bad second entry', ['https://ok.example', 'http://bad.example'], 'allowedOrigins[1]'],
  [
    'a duplicate once normalised',
    ['https://app.example', 'https://APP.example:443'],
    'allowedOrigins[1]',
  ],
]

describe('onboarding links: allowedOrigins', () => {
  const api = useTestApi()
  const org = useOrganization(api)
  const other = useOrganization(api, { name: 'Globex' })

  const linkCount = async () =>
    (await readList(await api.request('/v1/onboarding-links', { key: org.test }), 'link'))
      .pagination.total

  it.each(refusedOrigins)(
    'refuses %s with a 400 naming the entry, writing nothing',
    async (_, allowedOrigins, field) => {
      const before = await linkCount()
      const res = await api.request('/v1/onboarding-links', {
        method: 'POST',
        key: org.test,
        json: { name: 'Acme Corp', allowedOrigins },
      })
      const error = await readError(res, 400)
      expect(error.code).toBe('validation_error')
      expect(error.details?.map((d) => d.field)).toContain(field)
      expect(await linkCount()).toBe(before)
    },
  )

  it('refuses more than ten origins, naming the field', async () => {
    const allowedOrigins = Array.from({ length: 11 }, (_, i) => `https://app${i}.example`)
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: { name: 'Acme Corp', allowedOrigins },
    })
    const error = await readError(res, 400)
    expect(error.details?.map((d) => d.field)).toContain('allowedOrigins')
  })

  it('stores the origins normalised and returns them on create, get and list', async () => {
    const link = await createLink(api, org.test, {
      allowedOrigins: [
        'https://App.Example.com:443',
        'https://app.example.com:8443',
        'http://LOCALHOST:3000',
        'http://127.0.0.1:80',
        'http://[::1]:5173',
        'https://bücher.example',
      ],
    })
    const expected = [
      'https://app.example.com',
      'https://app.example.com:8443',
      'http://localhost:3000',
      'http://127.0.0.1',
      'http://[::1]:5173',
      'https://xn--bcher-kva.example',
    ]
    expect(link.allowedOrigins).toEqual(expected)
    const got = await readData(
      await api.request(`/v1/onboarding-links/${link.id}`, { key: org.test }),
      'link',
    )
    expect(got.allowedOrigins).toEqual(expected)
    const listed = await readList(
      await api.request('/v1/onboarding-links', { key: org.test }),
      'link',
    )
    expect(listed.data.find((l) => l.id === link.id)?.allowedOrigins).toEqual(expected)
  })

  it('reads as an empty list when none were given (or an empty list was)', async () => {
    expect((await createLink(api, org.test)).allowedOrigins).toEqual([])
    expect((await createLink(api, org.test, { allowedOrigins: [] })).allowedOrigins).toEqual([])
  })

  it("another organisation or the other mode neither reads nor lists a link's origins", async () => {
    const link = await createLink(api, org.test, { allowedOrigins: ['https://app.example'] })
    for (const key of [other.test, other.live, org.live]) {
      const res = await api.request(`/v1/onboarding-links/${link.id}`, { key })
      expect((await readError(res, 404)).code).toBe('not_found')
      const list = await readList(await api.request('/v1/onboarding-links', { key }), 'link')
      expect(list.data.map((l) => l.id)).not.toContain(link.id)
    }
  })
})

describe('the hosted page opened by embed.js', () => {
  const api = useTestApi()
  const org = useOrganization(api)

  const embedConfig = (html: string) => {
    const match = /<script type="application\/json" id="signup-config">(.*?)<\/script>/s.exec(html)
    if (!match?.[1]) throw new Error('no page config')
    return (JSON.parse(match[1]) as { embed: unknown }).embed
  }

  it('with ?embed=1 and allowed origins: the config carries them and the opener is kept', async () => {
    const link = await createLink(api, org.test, {
      allowedOrigins: ['https://app.example', 'http://localhost:3000'],
    })
    const res = await api.request(`/signup/${link.id}?embed=1`)
    expect(res.status).toBe(200)
    // Any other COOP value would put the page in a new browsing context group, severing
    // the opener it must post the result to.
    expect(res.headers.get('cross-origin-opener-policy')).toBe('unsafe-none')
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(embedConfig(await res.text())).toEqual({
      origins: ['https://app.example', 'http://localhost:3000'],
      onboardingLinkId: link.id,
      externalId: 'customer-123',
    })
  })

  it('without ?embed=1, or for a link with no origins, the page is as before', async () => {
    const listed = await createLink(api, org.test, { allowedOrigins: ['https://app.example'] })
    const unlisted = await createLink(api, org.test)
    for (const path of [
      `/signup/${listed.id}`,
      `/signup/${listed.id}?embed=0`,
      `/signup/${unlisted.id}?embed=1`,
    ]) {
      const res = await api.request(path)
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups')
      expect(embedConfig(await res.text())).toBeNull()
    }
    expect((await pageConfig(api, listed.id)).embed).toBeNull()
  })

  it('serves /embed.js as cacheable JavaScript any site can load', async () => {
    const res = await api.request('/embed.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect(await res.text()).toContain('window.Onboard')
  })
})

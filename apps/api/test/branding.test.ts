import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { JPEG_START, solidPng, WEBP_START } from './support/images'
import { readData, readError, type Shape } from './support/responses'
import { SESSIONS } from './support/sessions'
import { createLink } from './support/signup'

const BRANDING = '/v1/organization/branding'
const LOGO = `${BRANDING}/logo`
const NONE = {
  displayName: null,
  accentColor: null,
  supportEmail: null,
  supportUrl: null,
  logoUrl: null,
}

describe('organisation branding', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  const get = async (key = org.test) => readData(await api.request(BRANDING, { key }), 'branding')
  const patch = (json: unknown, key = org.test) =>
    api.request(BRANDING, { method: 'PATCH', key, json })
  const putLogo = (body: Buffer | string, contentType: string | null, key = org.test) =>
    api.request(LOGO, {
      method: 'PUT',
      key,
      body: typeof body === 'string' ? body : new Uint8Array(body),
      headers: contentType ? { 'content-type': contentType } : {},
    })
  /** The logo as served at `logoUrl` (on the test server's own origin). */
  const fetchLogo = (logoUrl: string) => fetch(logoUrl)

  it('reads nulls until set, then what PATCH set; left-out fields keep their value, null clears', async () => {
    expect(await get()).toEqual(NONE)
    const set = await readData(
      await patch({
        displayName: 'Acme Messaging',
        accentColor: '#1A73E8',
        supportEmail: 'help@acme.example',
        supportUrl: 'https://acme.example/help',
      }),
      'branding',
    )
    expect(set).toEqual({
      displayName: 'Acme Messaging',
      accentColor: '#1a73e8',
      supportEmail: 'help@acme.example',
      supportUrl: 'https://acme.example/help',
      logoUrl: null,
    })
    expect(await get()).toEqual(set)

    const changed = await readData(
      await patch({ displayName: 'Acme', supportUrl: null }),
      'branding',
    )
    expect(changed).toEqual({ ...set, displayName: 'Acme', supportUrl: null })
    expect(await get()).toEqual(changed)
  })

  it('refuses an accent colour white text fails WCAG AA on, naming accentColor, and changes nothing', async () => {
    await readData(await patch({ accentColor: '#1a73e8', displayName: 'Kept' }), 'branding')
    // Yellow: 1.07:1 with white. #2b88ff: 3.6:1, a plausible brand blue that still fails.
    for (const color of ['#ffff00', '#2b88ff', '#777777']) {
      const error = await readError(await patch({ accentColor: color, displayName: 'Lost' }), 400)
      expect(error.code).toBe('validation_error')
      expect(error.details?.map((detail) => detail.field)).toEqual(['accentColor'])
      expect(error.details?.[0]?.message).toMatch(/contrast .* below WCAG AA/)
    }
    // #767676 is the lightest grey at 4.54:1; #000000 the darkest colour there is.
    for (const color of ['#767676', '#000000']) {
      expect((await readData(await patch({ accentColor: color }), 'branding')).accentColor).toBe(
        color,
      )
    }
    expect(await get()).toMatchObject({ accentColor: '#000000', displayName: 'Kept' })
  })

  it.each([
    [{ accentColor: 'blue' }, 'accentColor'],
    [{ accentColor: '#12345' }, 'accentColor'],
    [{ displayName: '' }, 'displayName'],
    [{ displayName: 'x'.repeat(101) }, 'displayName'],
    [{ supportEmail: 'not an email' }, 'supportEmail'],
    [{ supportUrl: 'http://acme.example/help' }, 'supportUrl'],
    [{ supportUrl: 'javascript:alert(1)' }, 'supportUrl'],
    [{ supportUrl: 'https://user:pass@acme.example/' }, 'supportUrl'],
    [{ logoUrl: 'https://acme.example/logo.png' }, 'logoUrl'],
    [{ color: '#000000' }, 'color'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const error = await readError(await patch(body), 400)
    expect(error.code).toBe('validation_error')
    expect(JSON.stringify(error.details)).toContain(field)
    expect(await get()).toEqual(NONE)
  })

  it('stores a logo and serves it at a URL of its SHA-256, immutable, with its type and nosniff', async () => {
    const png = solidPng(8, 8, [26, 115, 232])
    const stored = await readData(await putLogo(png, 'image/png'), 'branding')
    const sha = createHash('sha256').update(png).digest('hex')
    expect(stored.logoUrl).toBe(`${api.url}/branding/logos/${sha}.png`)
    expect((await get()).logoUrl).toBe(stored.logoUrl)

    const served = await fetchLogo(stored.logoUrl as string)
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png)

    // Other bytes, another URL; the old one is gone (nobody holds those bytes any more).
    const other = solidPng(8, 8, [0, 0, 0])
    const replaced = await readData(await putLogo(other, 'image/png; charset=binary'), 'branding')
    expect(replaced.logoUrl).not.toBe(stored.logoUrl)
    expect((await fetchLogo(replaced.logoUrl as string)).status).toBe(200)
    expect((await fetchLogo(stored.logoUrl as string)).status).toBe(404)

    for (const [bytes, type, extension] of [
      [Buffer.concat([JPEG_START, Buffer.alloc(64, 1)]), 'image/jpeg', 'jpg'],
      [Buffer.concat([WEBP_START, Buffer.alloc(64, 2)]), 'image/webp', 'webp'],
    ] as const) {
      const logoUrl = (await readData(await putLogo(bytes, type), 'branding')).logoUrl as string
      expect(logoUrl).toMatch(new RegExp(`/branding/logos/[0-9a-f]{64}\\.${extension}$`))
      expect((await fetchLogo(logoUrl)).headers.get('content-type')).toBe(type)
      // The same hash under another type's extension names nothing.
      expect((await fetchLogo(logoUrl.replace(/\.\w+$/, '.png'))).status).toBe(404)
    }

    // At most 100 KB: exactly 100 KB is accepted.
    const largest = Buffer.concat([png, Buffer.alloc(100 * 1024 - png.length)])
    expect((await putLogo(largest, 'image/png')).status).toBe(200)

    const removed = await readData(
      await api.request(LOGO, { method: 'DELETE', key: org.test }),
      'branding',
    )
    expect(removed.logoUrl).toBeNull()
    expect((await get()).logoUrl).toBeNull()
  })

  it('refuses a logo of another type, a body that is not its type, an empty one and one over 100 KB', async () => {
    const png = solidPng(4, 4, [0, 0, 0])
    const kept = (await readData(await putLogo(png, 'image/png'), 'branding')).logoUrl
    const refusals: Array<[Buffer | string, string | null, number, string]> = [
      [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        'image/svg+xml',
        415,
        'unsupported_logo_type',
      ],
      ['GIF89a', 'image/gif', 415, 'unsupported_logo_type'],
      [png, 'application/json', 415, 'unsupported_logo_type'],
      [png, null, 415, 'unsupported_logo_type'],
      [png, 'image/jpeg', 400, 'logo_content_mismatch'],
      [png, 'image/webp', 400, 'logo_content_mismatch'],
      ['<html><script>alert(1)</script></html>', 'image/png', 400, 'logo_content_mismatch'],
      [Buffer.alloc(0), 'image/png', 400, 'logo_empty'],
      [
        Buffer.concat([png, Buffer.alloc(100 * 1024 + 1 - png.length)]),
        'image/png',
        413,
        'logo_too_large',
      ],
    ]
    for (const [body, type, status, code] of refusals) {
      const error = await readError(await putLogo(body, type), status)
      expect(error.code, `${type} → ${code}`).toBe(code)
    }
    // Without a declared length, the stream is held to the limit as it comes.
    const chunked = await api.request(LOGO, {
      method: 'PUT',
      key: org.test,
      headers: { 'content-type': 'image/png' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new Uint8Array(png))
          for (let i = 0; i < 30; i++) controller.enqueue(new Uint8Array(4096))
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect((await readError(chunked, 413)).code).toBe('logo_too_large')
    expect((await get()).logoUrl).toBe(kept)
  })

  it('keeps every other /v1 body JSON: raw bytes elsewhere are still a 415', async () => {
    const png = solidPng(2, 2, [0, 0, 0])
    const init = {
      key: org.test,
      body: new Uint8Array(png),
      headers: { 'content-type': 'image/png' },
    }
    expect(
      (await readError(await api.request(BRANDING, { ...init, method: 'PATCH' }), 415)).code,
    ).toBe('unsupported_media_type')
    expect(
      (await readError(await api.request('/v1/onboarding-links', { ...init, method: 'POST' }), 415))
        .code,
    ).toBe('unsupported_media_type')
  })

  it('answers 404 for logo names that cannot be ours', async () => {
    for (const name of [
      'logo.png',
      `${'A'.repeat(64)}.png`,
      `${'a'.repeat(64)}.svg`,
      `${'a'.repeat(64)}.png`,
    ]) {
      expect((await api.request(`/branding/logos/${name}`)).status, name).toBe(404)
    }
  })
})

describe('branding belongs to one organisation and one mode', () => {
  const api = useTestApi()
  const owner = useOrganization(api, { name: 'Owner' })
  const other = useOrganization(api, { name: 'Other' })

  const get = async (key: string) => readData(await api.request(BRANDING, { key }), 'branding')
  const ownerBrand = {
    displayName: 'Owner Brand',
    accentColor: '#0b6b3a',
    supportEmail: 'help@owner.example',
    supportUrl: 'https://owner.example/help',
  }

  it("another organisation's keys and the owner's live key neither read nor change the owner's test branding", async () => {
    await readData(
      await api.request(BRANDING, { method: 'PATCH', key: owner.test, json: ownerBrand }),
      'branding',
    )
    const png = solidPng(4, 4, [11, 107, 58])
    const logo = await api.request(LOGO, {
      method: 'PUT',
      key: owner.test,
      body: new Uint8Array(png),
      headers: { 'content-type': 'image/png' },
    })
    const before: Shape<'branding'> = await readData(logo, 'branding')
    expect(before.logoUrl).not.toBeNull()

    for (const key of [other.test, other.live, owner.live]) {
      expect(await get(key)).toEqual(NONE)
      await readData(
        await api.request(BRANDING, {
          method: 'PATCH',
          key,
          json: { displayName: 'Theirs', supportUrl: null },
        }),
        'branding',
      )
      await readData(await api.request(LOGO, { method: 'DELETE', key }), 'branding')
      await readData(
        await api.request(LOGO, {
          method: 'PUT',
          key,
          body: new Uint8Array(solidPng(2, 2, [1, 2, 3])),
          headers: { 'content-type': 'image/png' },
        }),
        'branding',
      )
      expect((await get(key)).displayName).toBe('Theirs')
    }
    expect(await get(owner.test)).toEqual(before)
  })
})

describe('the hosted pages show the branding of their organisation and mode', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  async function brand(key = org.test) {
    await readData(
      await api.request(BRANDING, {
        method: 'PATCH',
        key,
        json: {
          displayName: 'Acme <Messaging>',
          accentColor: '#1a73e8',
          supportEmail: 'help@acme.example',
          supportUrl: 'https://acme.example/help?a=1&b=2',
        },
      }),
      'branding',
    )
    const png = solidPng(4, 4, [26, 115, 232])
    const res = await api.request(LOGO, {
      method: 'PUT',
      key,
      body: new Uint8Array(png),
      headers: { 'content-type': 'image/png' },
    })
    return (await readData(res, 'branding')).logoUrl as string
  }

  /** The page's one inline style element, which the CSP must allow by its hash and nothing else. */
  function expectAccentAllowedByHash(res: Response, html: string) {
    const style = /<style>([^<]*)<\/style>/.exec(html)?.[1]
    expect(style).toBe(':root{--brand:#1a73e8;--brand-dark:#155cba}')
    const hash = createHash('sha256')
      .update(style as string)
      .digest('base64')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain(`style-src 'self' 'sha256-${hash}'`)
    expect(csp).not.toContain('unsafe-inline')
    expect(html).not.toMatch(/\sstyle="/)
  }

  function expectBrand(html: string, logoUrl: string) {
    expect(html).toContain(
      '<span class="brand-name" data-field="brand-name">Acme &lt;Messaging&gt;</span>',
    )
    expect(html).toContain(`<img class="brand-logo" src="${new URL(logoUrl).pathname}" alt=""`)
    expect(html).toContain('<a href="mailto:help@acme.example">help@acme.example</a>')
    expect(html).toContain('<a href="https://acme.example/help?a=1&amp;b=2"')
    expect(html).toContain('Need help?')
  }

  it("shows a pending link's page with the display name, logo, accent and support contact", async () => {
    const logoUrl = await brand()
    const link = await createLink(api, org.test)
    const res = await api.request(`/signup/${link.id}`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expectBrand(html, logoUrl)
    expectAccentAllowedByHash(res, html)
    expect(html).toContain('data-field="link-name">Acme Corp</h1>')
  })

  it('shows the brand and the support contact on the expired page, and on a session’s page', async () => {
    const logoUrl = await brand()
    const expiring = await createLink(api, org.test, { expiresInSeconds: 900 })
    const session = await createSession()
    api.database.setNow(new Date(Date.parse(expiring.expiresAt) + 1000))
    const expired = await api.request(`/signup/${expiring.id}`)
    expect(expired.status).toBe(410)
    const html = await expired.text()
    expect(html).toContain('This link has expired')
    expectBrand(html, logoUrl)
    expectAccentAllowedByHash(expired, html)

    api.database.setNow(new Date())
    const page = await api.request(new URL(session.url).pathname)
    expectBrand(await page.text(), logoUrl)

    async function createSession() {
      const res = await api.request(SESSIONS, {
        method: 'POST',
        key: org.test,
        json: { redirect_uri: 'https://example.com/whatsapp/callback', state: 's' },
      })
      return (await res.json()) as { url: string }
    }
  })

  it("shows nothing of another organisation's branding, and the usual page without one", async () => {
    await brand()
    const stranger = await api.createOrganization('Stranger')
    const link = await createLink(api, stranger.test)
    const res = await api.request(`/signup/${link.id}`)
    const html = await res.text()
    expect(html).not.toContain('Acme &lt;Messaging&gt;')
    expect(html).not.toContain('brand-logo')
    expect(html).not.toContain('help@acme.example')
    expect(html).not.toContain('<style>')
    expect(res.headers.get('content-security-policy')).toContain("style-src 'self';")
  })
})

describe('a live link’s page shows live mode’s branding', () => {
  const api = useTestApi({
    env: { META_APP_ID: '1234567890', META_APP_SECRET: 'live-secret', META_CONFIG_ID: '998877' },
  })
  const org = useOrganization(api)

  it('with the live key’s branding, not the test key’s, and its style allowed without a hash', async () => {
    const set = (key: string, displayName: string, accentColor: string) =>
      api.request(BRANDING, { method: 'PATCH', key, json: { displayName, accentColor } })
    await readData(await set(org.test, 'Test Brand', '#000000'), 'branding')
    await readData(await set(org.live, 'Live Brand', '#1a73e8'), 'branding')
    const link = await createLink(api, org.live)
    const res = await api.request(`/signup/${link.id}`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('data-field="brand-name">Live Brand</span>')
    expect(html).not.toContain('Test Brand')
    expect(html).toContain('<style>:root{--brand:#1a73e8;--brand-dark:#155cba}</style>')
    // Meta's SDK needs 'unsafe-inline', which a hash beside it would switch off.
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("style-src 'self' 'unsafe-inline';")
    expect(csp).not.toContain('sha256-')
  })
})

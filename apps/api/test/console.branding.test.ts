import { describe, expect, it } from 'vitest'
import { ConsoleClient, createConsoleUser, signedInClient } from './support/console'
import { useOrganization, useTestApi } from './support/fixture'
import { solidPng } from './support/images'
import { readData } from './support/responses'

const BRANDING = '/v1/organization/branding'

describe('console: branding', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  async function ownerClient() {
    const user = await createConsoleUser(api, {
      organizationId: org.id,
      keys: { test: org.test, live: org.live },
    })
    const client = new ConsoleClient(api)
    expect((await client.signIn(user.email, user.password)).status).toBe(303)
    return client
  }
  const read = async (key: string) => readData(await api.request(BRANDING, { key }), 'branding')

  it('is in the navigation and saves the current mode’s branding, as the API reads it', async () => {
    const client = await ownerClient()
    const { response, html } = await client.get('/console/branding')
    expect(response.status).toBe(200)
    expect(html).toContain('<a href="/console/branding" aria-current="page">Branding</a>')

    const saved = await client.post('/console/branding', {
      displayName: 'Acme Messaging',
      accentColor: '#1A73E8',
      supportEmail: 'help@acme.example',
      supportUrl: 'https://acme.example/help',
    })
    expect(saved.response.status).toBe(303)
    expect(saved.response.headers.get('location')).toBe('/console/branding?done=saved')
    expect(await read(org.test)).toEqual({
      displayName: 'Acme Messaging',
      accentColor: '#1a73e8',
      supportEmail: 'help@acme.example',
      supportUrl: 'https://acme.example/help',
      logoUrl: null,
    })
    // Test mode's console changed test mode's branding only.
    expect((await read(org.live)).displayName).toBeNull()
    const page = await client.get('/console/branding?done=saved')
    expect(page.html).toContain('value="Acme Messaging"')
    expect(page.html).toContain('Branding saved.')
    // Only the page's own notices: a name every object has shows nothing.
    const inherited = await client.get('/console/branding?done=toString')
    expect(inherited.html).not.toContain('function')
    expect(inherited.html).not.toContain('Branding saved.')

    // An emptied field clears it.
    await client.post('/console/branding', {
      displayName: 'Acme Messaging',
      accentColor: '',
      supportEmail: 'help@acme.example',
      supportUrl: '',
    })
    expect(await read(org.test)).toMatchObject({ accentColor: null, supportUrl: null })

    // In live mode the same page edits live mode's branding, and shows none of test mode's.
    await client.get('/console/branding')
    expect((await client.post('/console/mode', { mode: 'live' })).response.status).toBe(303)
    const live = await client.get('/console/branding')
    expect(live.html).not.toContain('Acme Messaging')
    await client.post('/console/branding', {
      displayName: 'Acme Live',
      accentColor: '',
      supportEmail: '',
      supportUrl: '',
    })
    expect((await read(org.live)).displayName).toBe('Acme Live')
    expect((await read(org.test)).displayName).toBe('Acme Messaging')
  })

  it('shows the API’s reasons next to the fields, keeps what was typed, and saves nothing', async () => {
    const client = await ownerClient()
    await client.get('/console/branding')
    const { response, html } = await client.post('/console/branding', {
      displayName: 'Typed Name',
      accentColor: '#ffff00',
      supportEmail: 'nope',
      supportUrl: 'http://acme.example',
    })
    expect(response.status).toBe(400)
    expect(html).toContain('Nothing was saved')
    expect(html).toMatch(/id="accentColor-error">white text on #ffff00 has a contrast of 1\.07:1/)
    expect(html).toContain('id="supportEmail-error"')
    expect(html).toContain('id="supportUrl-error"')
    expect(html).toContain('value="Typed Name"')
    expect(await read(org.test)).toMatchObject({ displayName: null, accentColor: null })
  })

  it('uploads a logo through the multipart form, refuses what the API refuses, and removes it', async () => {
    const client = await ownerClient()
    await client.get('/console/branding')
    const png = solidPng(8, 8, [26, 115, 232])
    const { response } = await client.upload(
      '/console/branding/logo',
      {},
      { logo: { bytes: png, type: 'image/png', name: 'logo.png' } },
    )
    expect(response.status).toBe(303)
    const logoUrl = (await read(org.test)).logoUrl as string
    expect(logoUrl).toMatch(/\/branding\/logos\/[0-9a-f]{64}\.png$/)
    expect((await read(org.live)).logoUrl).toBeNull()
    const page = await client.get('/console/branding?done=logo')
    expect(page.html).toContain(`src="${new URL(logoUrl).pathname}"`)

    const refusals = [
      [
        { bytes: Buffer.from('<svg/>'), type: 'image/svg+xml', name: 'logo.svg' },
        415,
        'SVG is not accepted',
      ],
      [{ bytes: png, type: 'image/jpeg', name: 'logo.jpg' }, 400, 'is not a JPG image'],
      [
        {
          bytes: Buffer.concat([png, Buffer.alloc(100 * 1024)]),
          type: 'image/png',
          name: 'big.png',
        },
        413,
        'at most 100 KB',
      ],
    ] as const
    for (const [file, status, message] of refusals) {
      await client.get('/console/branding')
      const refused = await client.upload('/console/branding/logo', {}, { logo: file })
      expect(refused.response.status, file.name).toBe(status)
      expect(refused.html).toContain(message)
      expect(refused.html).toContain('id="logo-error"')
    }
    // Beyond the upload form's own limit the gate refuses before reading any further.
    await client.get('/console/branding')
    const huge = await client.upload(
      '/console/branding/logo',
      {},
      { logo: { bytes: Buffer.alloc(300 * 1024), type: 'image/png', name: 'huge.png' } },
    )
    expect(huge.response.status).toBe(413)
    expect((await read(org.test)).logoUrl).toBe(logoUrl)

    await client.get('/console/branding')
    const removed = await client.post('/console/branding/logo', { action: 'remove' })
    expect(removed.response.status).toBe(303)
    expect((await read(org.test)).logoUrl).toBeNull()
  })

  it('refuses an upload without the CSRF token, and multipart on any other console form', async () => {
    const client = await ownerClient()
    await client.get('/console/branding')
    const png = solidPng(4, 4, [0, 0, 0])
    const forged = await client.upload(
      '/console/branding/logo',
      {},
      { logo: { bytes: png, type: 'image/png', name: 'logo.png' } },
      { csrf: null },
    )
    expect(forged.response.status).toBe(403)
    const wrong = await client.upload(
      '/console/branding/logo',
      {},
      { logo: { bytes: png, type: 'image/png', name: 'logo.png' } },
      { csrf: 'not-the-token' },
    )
    expect(wrong.response.status).toBe(403)
    expect((await read(org.test)).logoUrl).toBeNull()

    await client.get('/console/branding')
    const elsewhere = await client.upload('/console/branding', { displayName: 'Multipart' }, {})
    expect(elsewhere.response.status).toBe(415)
    expect((await read(org.test)).displayName).toBeNull()
  })

  it("another organisation's user edits its own branding, never the owner's", async () => {
    const owner = await ownerClient()
    await owner.get('/console/branding')
    await owner.post('/console/branding', {
      displayName: 'Owner Brand',
      accentColor: '#0b6b3a',
      supportEmail: '',
      supportUrl: '',
    })
    const { client: stranger, user } = await signedInClient(api)
    const page = await stranger.get('/console/branding')
    expect(page.html).not.toContain('Owner Brand')
    await stranger.post('/console/branding', {
      displayName: 'Stranger Brand',
      accentColor: '',
      supportEmail: '',
      supportUrl: '',
    })
    await stranger.post('/console/branding/logo', { action: 'remove' })
    expect((await read(org.test)).displayName).toBe('Owner Brand')
    expect((await read(user.keys.test)).displayName).toBe('Stranger Brand')
  })
})

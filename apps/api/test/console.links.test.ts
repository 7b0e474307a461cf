import { issueSignupNonce, links } from '@onboard/core'
import { linkActivityStore } from '@onboard/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInClient } from './support/console'
import { startTestApi, type TestApi } from './support/harness'
import { readBody, readData, readError, readList } from './support/responses'
import { createSession } from './support/sessions'
import { completeWith, createLink, pageConfig } from './support/signup'

const activity = (api: TestApi, linkId: string, body: unknown) =>
  api.request(`/signup/${linkId}/activity`, { method: 'POST', json: body })

/** POST /signup/:id/activity's answer: whether this event was kept. */
const readActivity = (res: Response) => readBody<{ data: { recorded: boolean } }>(res)

const linkCount = async (api: TestApi, key: string) =>
  (await readList(await api.request('/v1/onboarding-links', { key }), 'link')).pagination.total

describe('console: links', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi()
  })
  afterAll(() => api.close())

  it('lists links with a status filter, a name or externalId search, and pages', async () => {
    const { client, user } = await signedInClient(api)
    for (let i = 0; i < 27; i++) {
      await createLink(api, user.keys.test, { name: `Shop ${i}`, externalId: `ext-${i}` })
    }
    await createLink(api, user.keys.test, { name: 'Per%cent_Corp', externalId: 'special' })
    const done = await createLink(api, user.keys.test, { name: 'Done Corp', externalId: 'done-1' })
    await completeWith(api, done.id, 'success')

    const first = await client.get('/console/links')
    expect(first.response.status).toBe(200)
    expect(first.html).toContain('29 links')
    expect(first.html).toContain('Page 1 of 2')
    expect(first.html).toContain('href="/console/links?page=2"')
    const second = await client.get('/console/links?page=2')
    expect(second.html).toContain('Page 2 of 2')
    expect(second.html).toContain('Shop 0<')

    const completed = await client.get('/console/links?status=completed')
    expect(completed.html).toContain('1 link<')
    expect(completed.html).toContain('Done Corp')
    const pending = await client.get('/console/links?status=pending&q=shop')
    expect(pending.html).toContain('27 links')
    expect(pending.html).not.toContain('Done Corp')
    // Search: part of the name in any case, or the whole externalId.
    const byName = await client.get('/console/links?q=SHOP%2012')
    expect(byName.html).toContain('Shop 12<')
    expect(byName.html).toContain('1 link<')
    const byExternalId = await client.get('/console/links?q=ext-3')
    expect(byExternalId.html).toContain('Shop 3<')
    expect(byExternalId.html).toContain('1 link<')
    // % and _ are the characters themselves, not wildcards.
    expect((await client.get('/console/links?q=%25')).html).toContain('Per%cent_Corp')
    expect((await client.get('/console/links?q=%25')).html).toContain('1 link<')
    expect((await client.get('/console/links?q=_')).html).toContain('1 link<')
    // Filters survive paging.
    const filtered = await client.get('/console/links?status=pending&q=shop')
    expect(filtered.html).toContain('href="/console/links?status=pending&amp;q=shop&amp;page=2"')
    // A status that is not one is said so, and everything is shown.
    const bad = await client.get('/console/links?status=bogus')
    expect(bad.html).toContain('That filter was not understood')
  })

  it('creates a link from the form with the API’s validation, errors next to their fields', async () => {
    const { client, user } = await signedInClient(api)
    await client.get('/console/create-link')
    const wrong = await client.post('/console/create-link', {
      name: '  ',
      redirectUrl: 'javascript:alert(1)',
      webhookUrl: 'https://hooks.example.com/x',
      metadata: '{not json',
      expiresInSeconds: '60',
    })
    expect(wrong.response.status).toBe(400)
    const near = (field: string) =>
      new RegExp(`id="${field}-error">([^<]*)<`).exec(wrong.html)?.[1] ?? ''
    expect(near('name')).toBe('must not be empty or blank')
    expect(near('redirectUrl')).toBe('the javascript: scheme is not allowed')
    expect(near('metadata')).toContain('must be a JSON object')
    expect(near('webhookEvents')).toBe('is required when webhookUrl is set')
    expect(near('expiresInSeconds')).toMatch(/900/)
    expect(wrong.html).toMatch(/id="name"[^>]*aria-invalid="true"/)
    // What was typed is kept.
    expect(wrong.html).toContain('value="https://hooks.example.com/x"')
    expect(await linkCount(api, user.keys.test)).toBe(0)

    const ok = await client.post('/console/create-link', {
      name: 'Acme Corp',
      externalId: 'cust-9',
      metadata: '{"plan":"pro"}',
      redirectUrl: 'https://myapp.example.com/back',
    })
    expect(ok.response.status).toBe(303)
    const location = ok.response.headers.get('location') ?? ''
    expect(location).toMatch(/^\/console\/links\/[0-9a-f-]{36}\?created=1$/)
    const page = await client.get(location)
    const id = location.split('/')[3]?.split('?')[0] as string
    expect(page.html).toContain('Link created.')
    expect(page.html).toContain(`>${api.url}/signup/${id}</code>`)
    expect(page.html).toMatch(
      /<svg role="img" aria-label="QR code of the hosted URL for Acme Corp"/,
    )
    expect(page.html).toContain('data-copy="hosted-url"')
    expect(page.html).toContain('{&quot;plan&quot;:&quot;pro&quot;}')
    // It is the API's link, in the session's mode.
    const viaApi = await api.request(`/v1/onboarding-links/${id}`, { key: user.keys.test })
    expect(await readData(viaApi, 'link')).toMatchObject({
      name: 'Acme Corp',
      externalId: 'cust-9',
    })

    // A generated webhook secret is shown once, on the answer itself.
    const withHook = await client.post('/console/create-link', {
      name: 'Hooked',
      webhookUrl: 'https://hooks.example.com/x',
      webhookEvents: ['phone_number.connected'],
    })
    expect(withHook.response.status).toBe(200)
    expect(withHook.html).toMatch(/id="webhook-secret">whsec_[^<]+</)
  })

  it('refuses a create without the CSRF token, and creates nothing', async () => {
    const { client, user } = await signedInClient(api)
    const { response } = await client.post('/console/create-link', { name: 'X' }, { csrf: null })
    expect(response.status).toBe(403)
    expect(await linkCount(api, user.keys.test)).toBe(0)
  })

  it('creates in the mode the switch shows; live without a Meta app says so', async () => {
    const { client, user } = await signedInClient(api)
    await client.post('/console/mode', { mode: 'live' })
    const live = await client.post('/console/create-link', { name: 'Live one' })
    expect(live.response.status).toBe(409)
    expect(live.html).toMatch(
      /class="alert" role="alert">Live mode is not configured on this service/,
    )
    expect(await linkCount(api, user.keys.live)).toBe(0)
    await client.post('/console/mode', { mode: 'test' })
    expect((await client.post('/console/create-link', { name: 'Test one' })).response.status).toBe(
      303,
    )
    expect(await linkCount(api, user.keys.test)).toBe(1)
  })

  it('shows another organisation’s or the other mode’s link as not found, with none of its data', async () => {
    const { client, user } = await signedInClient(api)
    const { user: stranger } = await signedInClient(api)
    const theirs = await createLink(api, stranger.keys.test, { name: 'Their Secret Corp' })
    const mine = await createLink(api, user.keys.test, { name: 'Mine' })
    const session = await createSession(api, stranger.keys.test)
    for (const path of [`/console/links/${theirs.id}`, `/console/sessions/${session.id}`]) {
      const { response, html } = await client.get(path)
      expect(response.status, path).toBe(404)
      expect(html).toContain('Not found')
      expect(html).not.toContain('Their Secret Corp')
      expect(html).not.toContain('csrf-123')
    }
    expect((await client.get('/console/links')).html).not.toContain('Their Secret Corp')
    expect((await client.get(`/console/links/${mine.id}`)).response.status).toBe(200)
    await client.post('/console/mode', { mode: 'live' })
    expect((await client.get(`/console/links/${mine.id}`)).response.status).toBe(404)
    expect((await client.get('/console/links')).html).not.toContain('>Mine<')
    expect((await client.get('/console/no-such-page')).response.status).toBe(404)
  })
})

describe('the hosted page’s activity reports and the link timeline', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi()
  })
  afterAll(() => api.close())

  it('records nothing on a GET; records a POST with the page’s nonce once; refuses another link’s', async () => {
    const { client, user } = await signedInClient(api)
    const link = await createLink(api, user.keys.test)
    const other = await createLink(api, user.keys.test, { name: 'Other' })
    // A mail scanner's GET (twice): nothing.
    await api.request(`/signup/${link.id}`)
    const { nonce, activityUrl } = await pageConfig(api, link.id)
    expect(activityUrl).toBe(`/signup/${link.id}/activity`)
    let page = await client.get(`/console/links/${link.id}`)
    expect(page.html).not.toContain('data-kind="opened"')

    const opened = await activity(api, link.id, { nonce, kind: 'opened', attempt: 0 })
    expect(opened.status).toBe(200)
    expect((await readActivity(opened)).data).toEqual({ recorded: true })
    const again = await activity(api, link.id, { nonce, kind: 'opened', attempt: 0 })
    expect((await readActivity(again)).data).toEqual({ recorded: false })
    // This page's nonce does not speak for another link.
    const forOther = await activity(api, other.id, { nonce, kind: 'opened', attempt: 0 })
    expect(forOther.status).toBe(403)
    const noNonce = await activity(api, link.id, { nonce: 'x', kind: 'opened', attempt: 0 })
    expect(noNonce.status).toBe(403)
    const tooBig = await activity(api, link.id, {
      nonce,
      kind: 'meta_result',
      attempt: 1,
      result: { event: 'ERROR', errorMessage: 'x'.repeat(3000) },
    })
    expect(tooBig.status).toBe(413)
    const unknownField = await activity(api, link.id, { nonce, kind: 'opened', attempt: 0, x: 1 })
    expect(unknownField.status).toBe(400)

    await activity(api, link.id, { nonce, kind: 'connect_pressed', attempt: 1 })
    await activity(api, link.id, {
      nonce,
      kind: 'meta_result',
      attempt: 1,
      result: { event: 'CANCEL', step: 'PHONE_NUMBER_VERIFICATION' },
    })
    await activity(api, link.id, { nonce, kind: 'connect_pressed', attempt: 2 })
    await activity(api, link.id, {
      nonce,
      kind: 'meta_result',
      attempt: 2,
      result: { event: 'ERROR', errorCode: '524126', errorMessage: 'Meta could not verify it' },
    })
    page = await client.get(`/console/links/${link.id}`)
    const kinds = [...page.html.matchAll(/data-kind="([a-z_]+)"/g)].map((m) => m[1])
    expect(kinds).toEqual([
      'created',
      'opened',
      'connect_pressed',
      'meta_result',
      'connect_pressed',
      'meta_result',
    ])
    expect(page.html).toContain('Meta: cancelled at step PHONE_NUMBER_VERIFICATION.')
    expect(page.html).toContain('Meta: error 524126.')
    // Whatever text a browser sent is shown as that, never as Meta's own words.
    expect(page.html).toContain(
      "Message, as reported by the end-user's browser: <q>Meta could not verify it</q>",
    )
    expect(page.html).not.toContain('Meta: error 524126: Meta could not verify it')
    expect(page.html.match(/\(reported by the end-user's browser\)/g)).toHaveLength(5)
    expect(page.html.match(/data-kind="opened"/g)).toHaveLength(1)
    // The other link saw nothing.
    expect((await client.get(`/console/links/${other.id}`)).html).not.toContain(
      'data-kind="opened"',
    )
  })

  it('keeps a link’s activity to a few rows however many pages report, and a later real report still lands', async () => {
    const { client, user } = await signedInClient(api)
    const link = await createLink(api, user.keys.test)
    const key = api.core.keyring.signupNonceKeys[0] as Buffer
    const fake = { event: 'ERROR', errorCode: '131', errorMessage: 'call +1 555 0100' }
    // Sixty page loads (a new nonce each), each reporting everything it can, many at once.
    const reports: Promise<Response>[] = []
    for (let i = 0; i < 60; i++) {
      const nonce = issueSignupNonce(key, link.id, new Date(Date.now() - i * 1000))
      reports.push(activity(api, link.id, { nonce, kind: 'opened', attempt: 0 }))
      for (const attempt of [1, 2, 3, 4, 7, 50]) {
        reports.push(activity(api, link.id, { nonce, kind: 'connect_pressed', attempt }))
        reports.push(activity(api, link.id, { nonce, kind: 'meta_result', attempt, result: fake }))
      }
    }
    const statuses = new Set((await Promise.all(reports)).map((response) => response.status))
    expect([...statuses]).toEqual([200])
    expect(await linkActivityStore.countActivityOfLink(api.core.db, link.id)).toBeLessThanOrEqual(
      links.MAX_ACTIVITY_PER_LINK,
    )
    // The end-user's own page, later: its reports are stored and shown.
    const { nonce } = await pageConfig(api, link.id)
    await activity(api, link.id, { nonce, kind: 'connect_pressed', attempt: 1 })
    const real = await activity(api, link.id, {
      nonce,
      kind: 'meta_result',
      attempt: 1,
      result: { event: 'CANCEL', step: 'BUSINESS_ACCOUNT_SELECTION' },
    })
    expect(real.status).toBe(200)
    expect((await readActivity(real)).data).toEqual({ recorded: true })
    expect(await linkActivityStore.countActivityOfLink(api.core.db, link.id)).toBeLessThanOrEqual(
      links.MAX_ACTIVITY_PER_LINK,
    )
    const page = await client.get(`/console/links/${link.id}`)
    expect(page.html).toContain('Meta: cancelled at step BUSINESS_ACCOUNT_SELECTION.')
    expect(page.html.match(/data-kind="opened"/g)).toHaveLength(1)
  })

  it('takes only Meta’s known events, and nothing once the link is completed', async () => {
    const { client, user } = await signedInClient(api)
    const link = await createLink(api, user.keys.test)
    const { nonce } = await pageConfig(api, link.id)
    const unknown = await activity(api, link.id, {
      nonce,
      kind: 'meta_result',
      attempt: 1,
      result: { event: 'SOMETHING_ELSE' },
    })
    expect(unknown.status).toBe(400)
    expect(JSON.stringify(await readError(unknown))).toContain('result.event')
    const stray = await activity(api, link.id, {
      nonce,
      kind: 'opened',
      attempt: 0,
      result: { event: 'FINISH' },
    })
    expect(stray.status).toBe(400)
    expect(await linkActivityStore.countActivityOfLink(api.core.db, link.id)).toBe(0)

    const { res } = await completeWith(api, link.id, 'success')
    expect(res.status).toBe(200)
    const late = await activity(api, link.id, {
      nonce,
      kind: 'meta_result',
      attempt: 2,
      result: { event: 'ERROR', errorMessage: 'call +1 555 0100' },
    })
    expect(late.status).toBe(409)
    expect((await readError(late)).code).toBe('link_not_pending')
    expect(await linkActivityStore.countActivityOfLink(api.core.db, link.id)).toBe(0)
    expect((await client.get(`/console/links/${link.id}`)).html).not.toContain('555 0100')
  })

  it('shows a completed link’s phone, its completion and the webhook delivery it caused, and the funnel', async () => {
    const { client, user } = await signedInClient(api)
    const link = await createLink(api, user.keys.test, {
      webhookUrl: 'https://hooks.example.com/onboarded',
      webhookEvents: ['phone_number.connected'],
    })
    await createLink(api, user.keys.test, { name: 'Never opened' })
    const { nonce } = await pageConfig(api, link.id)
    await activity(api, link.id, { nonce, kind: 'opened', attempt: 0 })
    await activity(api, link.id, { nonce, kind: 'connect_pressed', attempt: 1 })
    const { res } = await completeWith(api, link.id, 'success')
    expect(res.status).toBe(200)
    const got = await readData(
      await api.request(`/v1/onboarding-links/${link.id}`, { key: user.keys.test }),
      'link',
    )
    const page = await client.get(`/console/links/${link.id}`)
    expect(page.html).toContain(got.phoneNumber)
    expect(page.html).toContain(`<code>${got.phoneNumberId}</code>`)
    const kinds = [...page.html.matchAll(/data-kind="([a-z_]+)"/g)].map((m) => m[1])
    expect(kinds).toEqual([
      'created',
      'opened',
      'connect_pressed',
      'attempt',
      'completed',
      'delivery',
    ])
    expect(page.html).toContain('Completion succeeded')
    expect(page.html).toMatch(
      /Webhook <code>phone_number.connected<\/code> to https:\/\/hooks.example.com\/onboarded/,
    )
    // A completed link offers no URL to share and no QR code.
    expect(page.html).not.toContain('data-field="qr"')

    const list = await client.get('/console/links')
    const count = (step: string) =>
      new RegExp(
        `data-step="${step}"><th scope="row">[^<]+</th><td data-field="count">(\\d+)<`,
      ).exec(list.html)?.[1]
    expect([
      count('created'),
      count('opened'),
      count('connect-pressed'),
      count('completed'),
    ]).toEqual(['2', '1', '1', '1'])
    expect(list.html).toContain('<title id="funnel-title">')
  })

  // Last in this describe: it leaves the test clock frozen.
  it('shows the deliveries of a link’s lifecycle events, and renews an expired link from its page', async () => {
    const { client, user } = await signedInClient(api)
    const now = Date.now()
    api.database.setNow(new Date(now - 1_000_000))
    const link = await createLink(api, user.keys.test, {
      expiresInSeconds: 900,
      webhookUrl: 'https://hooks.example.com/lifecycle',
      webhookEvents: ['onboarding_link.opened'],
    })
    const { nonce } = await pageConfig(api, link.id)
    await activity(api, link.id, { nonce, kind: 'opened', attempt: 0 })
    api.database.setNow(new Date(now))

    let page = await client.get(`/console/links/${link.id}`)
    expect(page.html).toContain('data-field="status">expired<')
    const kinds = [...page.html.matchAll(/data-kind="([a-z_]+)"/g)].map((m) => m[1])
    expect(kinds).toEqual(['created', 'opened', 'delivery'])
    expect(page.html).toMatch(
      /Webhook <code>onboarding_link.opened<\/code> to https:\/\/hooks.example.com\/lifecycle/,
    )
    expect(page.html).toContain(`action="/console/links/${link.id}/renew"`)

    const renewed = await client.post(`/console/links/${link.id}/renew`)
    expect(renewed.response.status).toBe(303)
    expect(renewed.response.headers.get('location')).toBe(`/console/links/${link.id}?done=renewed`)
    page = await client.get(`/console/links/${link.id}?done=renewed`)
    expect(page.html).toContain('data-field="status">pending<')
    expect(page.html).toContain('Link renewed.')
    const stored = await readData(
      await api.request(`/v1/onboarding-links/${link.id}`, { key: user.keys.test }),
      'link',
    )
    expect(stored.expiresAt).toBe(new Date(now + 30 * 86_400_000).toISOString())

    // A completed link offers no renewal, and a forged one is refused on its page.
    const done = await createLink(api, user.keys.test, { name: 'Done' })
    expect((await completeWith(api, done.id, 'success')).res.status).toBe(200)
    page = await client.get(`/console/links/${done.id}`)
    expect(page.html).not.toContain('/renew"')
    const refused = await client.post(`/console/links/${done.id}/renew`)
    expect(refused.response.status).toBe(409)
    expect(refused.html).toContain('role="alert"')
  })
})

describe('console: sessions', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi()
  })
  afterAll(() => api.close())

  it('lists sessions with status and metadata filters, and shows one', async () => {
    const { client, user } = await signedInClient(api)
    const a = await createSession(api, user.keys.test, { metadata: { externalUserId: 'u-1' } })
    const b = await createSession(api, user.keys.test, { metadata: { externalUserId: 'u-2' } })
    const list = await client.get('/console/sessions')
    expect(list.html).toContain('2 sessions')
    const filtered = await client.get('/console/sessions?key=externalUserId&value=u-2')
    expect(filtered.html).toContain('1 session<')
    expect(filtered.html).toContain(b.id)
    expect(filtered.html).not.toContain(a.id)
    const badKey = await client.get('/console/sessions?key=bad%20key&value=1')
    expect(badKey.html).toContain('the key must be 1-64 letters')
    expect((await client.get('/console/sessions?status=completed')).html).toContain(
      'No sessions match',
    )
    const one = await client.get(`/console/sessions/${a.id}`)
    expect(one.response.status).toBe(200)
    expect(one.html).toContain(a.url)
    expect(one.html).toContain('csrf-123')
    expect(one.html).toContain('data-kind="created"')
  })
})

import { consoleAuth } from '@onboard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConsoleClient, createConsoleUser, signedInClient } from './support/console'
import { startTestApi, type TestApi } from './support/harness'
import { readData } from './support/responses'

const sessionCookie = (response: Response) =>
  response.headers.getSetCookie().find((line) => line.startsWith('console_session='))

describe('console sign-in and sessions', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi()
  })
  afterAll(() => api.close())

  it('sends every console URL to sign-in without a session, showing no data', async () => {
    const user = await createConsoleUser(api)
    const link = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: user.keys.test,
      json: { name: 'Secret Corp', externalId: 'ext-secret' },
    })
    const data = await readData(link, 'link')
    const anonymous = new ConsoleClient(api)
    for (const path of [
      '/console',
      '/console/links',
      `/console/links/${data.id}`,
      '/console/sessions',
      '/console/numbers',
      '/console/webhooks',
      '/console/api-keys',
      '/console/no-such-page',
    ]) {
      const { response, html } = await anonymous.get(path)
      expect(response.status, path).toBe(303)
      expect(response.headers.get('location'), path).toBe(
        `/console/sign-in?next=${encodeURIComponent(path)}`,
      )
      expect(html, path).not.toContain('Secret Corp')
      expect(html, path).not.toContain(data.id)
    }
    // A forged cookie is no session either.
    anonymous.cookies.set('console_session', 'A'.repeat(43))
    expect((await anonymous.get('/console/links')).response.status).toBe(303)
    const post = await anonymous.post('/console/mode', { mode: 'live' }, { csrf: 'x' })
    expect(post.response.status).toBe(303)
    expect(post.response.headers.get('location')).toBe('/console/sign-in')
  })

  it('shows a form with Email, Password and a Sign in button, and says only "wrong email or password"', async () => {
    const user = await createConsoleUser(api)
    const client = new ConsoleClient(api)
    const { html } = await client.get('/console/sign-in')
    expect(html).toMatch(/<label for="email">Email<\/label>/)
    expect(html).toMatch(/<label for="password">Password<\/label>/)
    expect(html).toMatch(/<button type="submit" class="button">Sign in<\/button>/)
    const wrongPassword = await client.post('/console/sign-in', {
      email: user.email,
      password: 'not the password',
    })
    expect(wrongPassword.response.status).toBe(401)
    expect(wrongPassword.html).toContain('Wrong email or password.')
    expect(sessionCookie(wrongPassword.response)).toBeUndefined()
    await client.get('/console/sign-in')
    const unknownEmail = await client.post('/console/sign-in', {
      email: 'nobody@example.com',
      password: user.password,
    })
    expect(unknownEmail.response.status).toBe(401)
    expect(unknownEmail.html).toContain('Wrong email or password.')
  })

  it('sets an HttpOnly, SameSite=Lax session cookie (not Secure over http) with a new id at each sign-in', async () => {
    const user = await createConsoleUser(api)
    const client = new ConsoleClient(api)
    const first = await client.signIn(user.email, user.password)
    expect(first.status).toBe(303)
    const cookie = sessionCookie(first) ?? ''
    expect(cookie).toMatch(/; HttpOnly/i)
    expect(cookie).toMatch(/; SameSite=Lax/i)
    expect(cookie).toMatch(/; Path=\/console/i)
    expect(cookie).not.toMatch(/; Secure/i)
    const firstToken = client.cookies.get('console_session')
    expect((await client.get('/console/links')).response.status).not.toBe(303)

    const second = await client.signIn(user.email, user.password)
    expect(second.status).toBe(303)
    const secondToken = client.cookies.get('console_session')
    expect(secondToken).not.toBe(firstToken)
    // The session the browser had before is gone, not merely replaced in the browser.
    expect(await consoleAuth.findConsoleSession(api.core, firstToken as string)).toBeNull()
  })

  it('over https, names the cookies __Host- with Secure and Path=/ (no Domain), and they work', async () => {
    const secure = await startTestApi({ env: { PUBLIC_BASE_URL: 'https://console.example.com' } })
    try {
      const user = await createConsoleUser(secure)
      const client = new ConsoleClient(secure)
      const attributes = (line: string | undefined) =>
        (line ?? '')
          .split(';')
          .slice(1)
          .map((part) => part.trim().split('=')[0]?.toLowerCase())
          .sort()
      const form = await client.get('/console/sign-in')
      const signInLine = form.response.headers
        .getSetCookie()
        .find((line) => line.startsWith('__Host-console_sign_in='))
      expect(signInLine).toMatch(/; Path=\/(;|$)/)
      expect(attributes(signInLine)).toEqual(['httponly', 'max-age', 'path', 'samesite', 'secure'])
      expect(client.cookies.has('console_sign_in')).toBe(false)
      const response = await client.signIn(user.email, user.password)
      expect(response.status).toBe(303)
      const sessionLine = response.headers
        .getSetCookie()
        .find((line) => line.startsWith('__Host-console_session='))
      expect(sessionLine).toMatch(/; Path=\/(;|$)/)
      expect(sessionLine).toMatch(/; SameSite=Lax/i)
      expect(attributes(sessionLine)).toEqual(['httponly', 'max-age', 'path', 'samesite', 'secure'])
      expect((await client.get('/console/links')).response.status).toBe(200)
      // A plain-named cookie (what a sibling subdomain could set) is no session.
      const planted = new ConsoleClient(secure)
      planted.cookies.set('console_session', client.cookies.get('__Host-console_session') as string)
      expect((await planted.get('/console/links')).response.status).toBe(303)
      // Sign-out clears the same cookie (same name and path).
      const out = await client.post('/console/sign-out')
      expect(out.response.status).toBe(303)
      const cleared = out.response.headers
        .getSetCookie()
        .find((line) => line.startsWith('__Host-console_session='))
      expect(cleared).toMatch(/; Path=\/(;|$)/)
      expect(cleared).toMatch(/; Secure/)
      expect(client.cookies.has('__Host-console_session')).toBe(false)
    } finally {
      await secure.close()
    }
  })

  it('sign-out deletes the session on the server: the old cookie opens nothing', async () => {
    const { client } = await signedInClient(api)
    const token = client.cookies.get('console_session') as string
    await client.get('/console/links')
    const out = await client.post('/console/sign-out')
    expect(out.response.status).toBe(303)
    expect(out.response.headers.get('location')).toBe('/console/sign-in')
    expect(client.cookies.has('console_session')).toBe(false)
    const replay = new ConsoleClient(api)
    replay.cookies.set('console_session', token)
    expect((await replay.get('/console/links')).response.status).toBe(303)
  })

  it('refuses a POST without the CSRF token, or with another session’s, with 403 and changes nothing', async () => {
    const { client, user } = await signedInClient(api)
    const { client: other } = await signedInClient(api)
    await other.get('/console/links')
    const token = client.cookies.get('console_session') as string
    for (const csrf of [null, '', 'wrong', other.lastCsrf as string]) {
      const { response, html } = await client.post('/console/mode', { mode: 'live' }, { csrf })
      expect(response.status, String(csrf)).toBe(403)
      expect(html).toContain('Nothing was changed')
    }
    expect((await consoleAuth.findConsoleSession(api.core, token))?.mode).toBe('test')
    const signOut = await client.post('/console/sign-out', {}, { csrf: null })
    expect(signOut.response.status).toBe(403)
    expect(await consoleAuth.findConsoleSession(api.core, token)).not.toBeNull()
    // With the token, the same POST works.
    const { response } = await client.post('/console/mode', { mode: 'live' })
    expect(response.status).toBe(303)
    expect((await consoleAuth.findConsoleSession(api.core, token))?.mode).toBe('live')
    // The sign-in form has its own token: a POST without it (login CSRF) is refused.
    const fresh = new ConsoleClient(api)
    const noToken = await fresh.post(
      '/console/sign-in',
      { email: user.email, password: user.password },
      { csrf: null },
    )
    expect(noToken.response.status).toBe(403)
    expect(sessionCookie(noToken.response)).toBeUndefined()
  })
})

describe('console sign-in rate limit', () => {
  let api: TestApi
  let replica: TestApi
  beforeAll(async () => {
    api = await startTestApi()
    replica = await startTestApi({ replicaOf: api })
  })
  afterAll(async () => {
    await replica.close()
    await api.close()
  })

  it('refuses an email from an address after five failures, on every replica, even with the right password', async () => {
    const user = await createConsoleUser(api)
    const client = new ConsoleClient(api)
    for (let i = 0; i < consoleAuth.SIGN_IN_LIMITS.perEmailAndAddress; i++) {
      await client.get('/console/sign-in')
      const { response } = await client.post('/console/sign-in', {
        email: user.email,
        password: `wrong-${i}`,
      })
      expect(response.status).toBe(401)
    }
    // The failures are in the database: another replica counts them too.
    const elsewhere = new ConsoleClient(replica)
    await elsewhere.get('/console/sign-in')
    const limited = await elsewhere.post('/console/sign-in', {
      email: user.email,
      password: user.password,
    })
    expect(limited.response.status).toBe(429)
    expect(limited.response.headers.get('retry-after')).toBe('900')
    expect(limited.html).toContain('Too many failed sign-ins. Wait 15 minutes and try again.')
    expect(sessionCookie(limited.response)).toBeUndefined()
    // Another person is not locked out by it.
    const other = await createConsoleUser(api)
    expect((await new ConsoleClient(replica).signIn(other.email, other.password)).status).toBe(303)
  })

  it('lets at most the limit of many simultaneous wrong passwords for one email be checked', async () => {
    const user = await createConsoleUser(api)
    const client = new ConsoleClient(api)
    await client.get('/console/sign-in')
    const csrf = client.lastCsrf
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        client.post('/console/sign-in', { email: user.email, password: `wrong-${i}` }, { csrf }),
      ),
    )
    const statuses = answers.map(({ response }) => response.status)
    const checked = statuses.filter((status) => status === 401).length
    expect(checked).toBeGreaterThan(0)
    expect(checked).toBeLessThanOrEqual(consoleAuth.SIGN_IN_LIMITS.perEmailAndAddress)
    // The rest were refused unchecked: over the limit (429), or while the process was already
    // checking as many passwords as it will (503).
    for (const status of statuses) expect([401, 429, 503]).toContain(status)
    // Those refused unchecked did not count: the rest of the limit is still there, then no more.
    for (let i = checked; i < consoleAuth.SIGN_IN_LIMITS.perEmailAndAddress; i++) {
      await client.get('/console/sign-in')
      const { response } = await client.post('/console/sign-in', {
        email: user.email,
        password: `again-${i}`,
      })
      expect(response.status).toBe(401)
    }
    expect((await client.signIn(user.email, user.password)).status).toBe(429)
  })

  it('answers 503 with Retry-After while the process checks as many passwords as it will, counting nothing', async () => {
    const user = await createConsoleUser(api)
    const held = Array.from({ length: consoleAuth.MAX_CONCURRENT_VERIFICATIONS }, () =>
      consoleAuth.claimVerificationSlot(),
    )
    try {
      expect(held.every((release) => release !== null)).toBe(true)
      expect(consoleAuth.claimVerificationSlot()).toBeNull()
      const client = new ConsoleClient(api)
      for (let i = 0; i <= consoleAuth.SIGN_IN_LIMITS.perEmailAndAddress; i++) {
        await client.get('/console/sign-in')
        const busy = await client.post('/console/sign-in', {
          email: user.email,
          password: user.password,
        })
        expect(busy.response.status).toBe(503)
        expect(busy.response.headers.get('retry-after')).toBe('1')
        expect(busy.html).toContain('Many people are signing in right now')
        expect(sessionCookie(busy.response)).toBeUndefined()
      }
    } finally {
      for (const release of held) release?.()
    }
    // None of the refused attempts counted against the person.
    expect((await new ConsoleClient(api).signIn(user.email, user.password)).status).toBe(303)
  })

  it('behind a trusted proxy, counts the client address X-Forwarded-For ends with', async () => {
    const proxied = await startTestApi({ env: { TRUST_PROXY: 'true' } })
    try {
      const user = await createConsoleUser(proxied)
      // The proxy appends the address it saw; what the client claimed comes before it.
      const attacker = new ConsoleClient(proxied, { 'x-forwarded-for': '10.9.9.9, 203.0.113.7' })
      for (let i = 0; i < consoleAuth.SIGN_IN_LIMITS.perAddress; i++) {
        // A new made-up address each time in front: only the proxy's entry counts.
        attacker.headers['x-forwarded-for'] = `10.9.9.${i}, 203.0.113.7`
        await attacker.get('/console/sign-in')
        const { response } = await attacker.post('/console/sign-in', {
          email: `guess-${i}@example.com`,
          password: 'a guess',
        })
        expect(response.status).toBe(401)
      }
      await attacker.get('/console/sign-in')
      const limited = await attacker.post('/console/sign-in', {
        email: user.email,
        password: user.password,
      })
      expect(limited.response.status).toBe(429)
      // Another client behind the same proxy (the same socket address) still signs in.
      const colleague = new ConsoleClient(proxied, { 'x-forwarded-for': '198.51.100.4' })
      expect((await colleague.signIn(user.email, user.password)).status).toBe(303)
    } finally {
      await proxied.close()
    }
  }, 90_000)

  it('refuses an address after thirty failures across emails', async () => {
    const limitedApi = await startTestApi()
    try {
      const user = await createConsoleUser(limitedApi)
      const client = new ConsoleClient(limitedApi)
      for (let i = 0; i < consoleAuth.SIGN_IN_LIMITS.perAddress; i++) {
        await client.get('/console/sign-in')
        const { response } = await client.post('/console/sign-in', {
          email: `guess-${i}@example.com`,
          password: 'a guess',
        })
        expect(response.status).toBe(401)
      }
      await client.get('/console/sign-in')
      const { response } = await client.post('/console/sign-in', {
        email: user.email,
        password: user.password,
      })
      expect(response.status).toBe(429)
    } finally {
      await limitedApi.close()
    }
  }, 90_000)

  it('a guesser elsewhere cannot lock the person out: strict per email and address, loose per email', async () => {
    const proxied = await startTestApi({ env: { TRUST_PROXY: 'true' } })
    try {
      const user = await createConsoleUser(proxied)
      const { perEmailAndAddress, perEmail } = consoleAuth.SIGN_IN_LIMITS
      const from = (address: string) => new ConsoleClient(proxied, { 'x-forwarded-for': address })
      const attacker = from('203.0.113.7')
      for (let i = 0; i < perEmailAndAddress; i++) {
        await attacker.get('/console/sign-in')
        const { response } = await attacker.post('/console/sign-in', {
          email: user.email,
          password: `wrong-${i}`,
        })
        expect(response.status).toBe(401)
      }
      expect((await attacker.signIn(user.email, user.password)).status).toBe(429)
      // The person, from their own address, is not locked out by it.
      expect((await from('198.51.100.4').signIn(user.email, user.password)).status).toBe(303)
      // Guesses spread over many addresses are stopped by the looser per-email limit.
      for (let i = perEmailAndAddress; i < perEmail; i++) {
        const spread = from(`192.0.2.${i}`)
        await spread.get('/console/sign-in')
        const { response } = await spread.post('/console/sign-in', {
          email: user.email,
          password: `wrong-${i}`,
        })
        expect(response.status).toBe(401)
      }
      expect((await from('198.51.100.99').signIn(user.email, user.password)).status).toBe(429)
    } finally {
      await proxied.close()
    }
  }, 180_000)

  it('counts an IPv6 client by its /64', async () => {
    expect(consoleAuth.addressForLimit('2001:DB8:0:0:1::1')).toBe('2001:db8:0:0::/64')
    expect(consoleAuth.addressForLimit('2001:db8::ffff:1:2:3')).toBe('2001:db8:0:0::/64')
    expect(consoleAuth.addressForLimit('2001:db8:0:1::')).toBe('2001:db8:0:1::/64')
    expect(consoleAuth.addressForLimit('::ffff:192.0.2.1')).toBe('192.0.2.1')
    expect(consoleAuth.addressForLimit('192.0.2.1')).toBe('192.0.2.1')
    const proxied = await startTestApi({ env: { TRUST_PROXY: 'true' } })
    try {
      const user = await createConsoleUser(proxied)
      for (let i = 0; i < consoleAuth.SIGN_IN_LIMITS.perAddress; i++) {
        // A new address of the same /64 each time, and a new email.
        const client = new ConsoleClient(proxied, { 'x-forwarded-for': `2001:db8:5:6::${i + 1}` })
        await client.get('/console/sign-in')
        const { response } = await client.post('/console/sign-in', {
          email: `guess-${i}@example.com`,
          password: 'a guess',
        })
        expect(response.status).toBe(401)
      }
      const sameNetwork = new ConsoleClient(proxied, { 'x-forwarded-for': '2001:db8:5:6:ab::9' })
      expect((await sameNetwork.signIn(user.email, user.password)).status).toBe(429)
      const otherNetwork = new ConsoleClient(proxied, { 'x-forwarded-for': '2001:db8:5:7::1' })
      expect((await otherNetwork.signIn(user.email, user.password)).status).toBe(303)
    } finally {
      await proxied.close()
    }
  }, 120_000)
})

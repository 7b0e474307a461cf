import { randomBytes } from 'node:crypto'
import { consoleAuth } from '@onboard/core'
import type { TestApi } from './harness'

export interface ConsoleUserFixture {
  organizationId: string
  /** The organisation's API keys, to make objects the console then shows. */
  keys: { test: string; live: string }
  email: string
  password: string
}

/** A new organisation with one console user (created through core, as the CLI does). */
export async function createConsoleUser(
  api: TestApi,
  options: { organizationId?: string; keys?: { test: string; live: string } } = {},
): Promise<ConsoleUserFixture> {
  let organizationId = options.organizationId
  let keys = options.keys
  if (!organizationId) {
    const org = await api.createOrganization()
    organizationId = org.id
    keys = { test: org.test, live: org.live }
  }
  const email = `person-${randomBytes(4).toString('hex')}@example.com`
  const password = `pw-${randomBytes(12).toString('hex')}`
  await consoleAuth.createConsoleUser(api.core, { organizationId, email, password })
  return { organizationId, keys: keys ?? { test: '', live: '' }, email, password }
}

/**
 * A browser without a browser: fetch with a cookie jar, following nothing, so tests see each
 * redirect. `post` adds the CSRF token of the last page it read unless `csrf` says otherwise.
 */
export class ConsoleClient {
  readonly cookies = new Map<string, string>()
  lastCsrf: string | undefined

  /** `headers` go with every request (e.g. X-Forwarded-For behind a proxy). */
  constructor(
    readonly api: TestApi,
    readonly headers: Record<string, string> = {},
  ) {}

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = pair?.indexOf('=') ?? -1
      if (!pair || index < 0) continue
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** GET; the page's CSRF token (if any) is kept for the next POST. */
  async get(path: string): Promise<{ response: Response; html: string }> {
    const response = await fetch(`${this.api.url}${path}`, {
      headers: { ...this.headers, cookie: this.cookieHeader() },
      redirect: 'manual',
    })
    this.remember(response)
    const html = await response.text()
    const match = /name="_csrf" value="([^"]+)"/.exec(html)
    if (match?.[1]) this.lastCsrf = match[1]
    return { response, html }
  }

  /** POSTs a form. `csrf: null` sends none; a string sends that one. */
  async post(
    path: string,
    fields: Record<string, string | string[]> = {},
    options: { csrf?: string | null } = {},
  ): Promise<{ response: Response; html: string }> {
    const body = new URLSearchParams()
    const csrf = options.csrf === undefined ? this.lastCsrf : options.csrf
    if (csrf !== null && csrf !== undefined) body.set('_csrf', csrf)
    for (const [name, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(name, item)
    }
    const response = await fetch(`${this.api.url}${path}`, {
      method: 'POST',
      headers: {
        ...this.headers,
        cookie: this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body,
      redirect: 'manual',
    })
    this.remember(response)
    return { response, html: await response.text() }
  }

  /** POSTs a multipart form with files, as a file input does; the CSRF token as in `post`. */
  async upload(
    path: string,
    fields: Record<string, string>,
    files: Record<string, { bytes: Buffer; type: string; name: string }>,
    options: { csrf?: string | null } = {},
  ): Promise<{ response: Response; html: string }> {
    const body = new FormData()
    const csrf = options.csrf === undefined ? this.lastCsrf : options.csrf
    if (csrf !== null && csrf !== undefined) body.set('_csrf', csrf)
    for (const [name, value] of Object.entries(fields)) body.append(name, value)
    for (const [name, file] of Object.entries(files)) {
      body.append(name, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name)
    }
    const response = await fetch(`${this.api.url}${path}`, {
      method: 'POST',
      headers: { ...this.headers, cookie: this.cookieHeader() },
      body,
      redirect: 'manual',
    })
    this.remember(response)
    return { response, html: await response.text() }
  }

  /** Signs in through the real form; returns the POST's answer (303 on success). */
  async signIn(email: string, password: string): Promise<Response> {
    await this.get('/console/sign-in')
    const { response } = await this.post('/console/sign-in', { email, password })
    if (response.status === 303) await this.get(response.headers.get('location') ?? '/console')
    return response
  }
}

/** A client signed in as a new user of a new organisation (or of `organizationId`). */
export async function signedInClient(
  api: TestApi,
  options: Parameters<typeof createConsoleUser>[1] = {},
): Promise<{ client: ConsoleClient; user: ConsoleUserFixture }> {
  const user = await createConsoleUser(api, options)
  const client = new ConsoleClient(api)
  const response = await client.signIn(user.email, user.password)
  if (response.status !== 303) throw new Error(`sign-in answered ${response.status}`)
  return { client, user }
}

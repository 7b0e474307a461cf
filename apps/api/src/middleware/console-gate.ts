import { AppError, type Config, type CoreContext, consoleAuth, safeEqual } from '@onboard/core'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv, UploadedFile } from '../lib/env'
import { readBody } from '../lib/read-body'

export const SIGN_IN_PATH = '/console/sign-in'
const MAX_FORM_BYTES = 64 * 1024
const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i
const MULTIPART_CONTENT_TYPE = /^multipart\/form-data\s*;/i

/**
 * The one console form that uploads a file (the branding's logo) and so may be multipart.
 * Its limit leaves room above the logo's own 100 KB, so a logo a little too large is refused
 * by the branding rules next to its field rather than here.
 */
const UPLOAD_PATHS = new Set(['/console/branding/logo'])
const MAX_UPLOAD_BYTES = 256 * 1024

/**
 * The cookies' names and attributes, from the public URL. Over https they are `__Host-`
 * cookies: the browser takes them only with Secure, Path=/ and no Domain, so a sibling
 * subdomain cannot plant a session or sign-in token for us (login CSRF). Over plain http (a
 * local run) browsers refuse that prefix, so the names are plain and scoped to /console.
 */
export interface ConsoleCookies {
  secure: boolean
  path: string
  session: string
  signIn: string
}

export function consoleCookies(config: Config): ConsoleCookies {
  if (config.publicBaseUrl.startsWith('https:')) {
    return {
      secure: true,
      path: '/',
      session: '__Host-console_session',
      signIn: '__Host-console_sign_in',
    }
  }
  return { secure: false, path: '/console', session: 'console_session', signIn: 'console_sign_in' }
}

function cookieOptions(cookies: ConsoleCookies, maxAgeSeconds: number) {
  return {
    path: cookies.path,
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure: cookies.secure,
    maxAge: maxAgeSeconds,
  }
}

export function setSessionCookie(c: Context<AppEnv>, cookies: ConsoleCookies, token: string) {
  setCookie(
    c,
    cookies.session,
    token,
    cookieOptions(cookies, consoleAuth.CONSOLE_SESSION_TTL_MS / 1000),
  )
}

export function clearSessionCookie(c: Context<AppEnv>, cookies: ConsoleCookies) {
  deleteCookie(c, cookies.session, { path: cookies.path, secure: cookies.secure })
}

/** The sign-in form's own CSRF token (there is no session yet): a double-submit cookie. */
export function setSignInCookie(c: Context<AppEnv>, cookies: ConsoleCookies, token: string) {
  setCookie(c, cookies.signIn, token, cookieOptions(cookies, 60 * 60))
}

export function sessionToken(c: Context<AppEnv>, cookies: ConsoleCookies): string | undefined {
  return getCookie(c, cookies.session)
}

export function signInToken(c: Context<AppEnv>, cookies: ConsoleCookies): string | undefined {
  return getCookie(c, cookies.signIn)
}

/**
 * The client's address for the sign-in limit. Without TRUST_PROXY: the socket's. With it: the
 * last `X-Forwarded-For` entry, the one our own proxy appended (entries before it are
 * whatever the client sent). That is only right when the proxy is the single hop in front of
 * us and the app's port cannot be reached except through it; otherwise anyone can name any
 * address.
 */
export function clientIp(c: Context<AppEnv>, config: Config): string {
  if (config.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim()
    if (forwarded) return forwarded
  }
  return c.env?.incoming?.socket.remoteAddress ?? 'unknown'
}

/** A console POST's body: a url-encoded form of at most 64 KB, or an upload (see UPLOAD_PATHS). */
async function readForm(c: Context<AppEnv>): Promise<URLSearchParams> {
  const contentType = c.req.header('content-type') ?? ''
  if (UPLOAD_PATHS.has(c.req.path) && MULTIPART_CONTENT_TYPE.test(contentType)) {
    return readMultipartForm(c, contentType)
  }
  const body = await readBody(
    c,
    MAX_FORM_BYTES,
    () => new AppError('payload_too_large', 413, 'The form must be at most 64 KB.'),
  )
  if (body.length > 0 && !FORM_CONTENT_TYPE.test(contentType)) {
    throw new AppError('unsupported_media_type', 415, 'Send the form as a web page does.')
  }
  return new URLSearchParams(body.toString('utf8'))
}

/**
 * A multipart form, read whole within its limit before anything is parsed: its text fields
 * (the CSRF token among them) are the form; its files go to `c.var.files`.
 */
async function readMultipartForm(
  c: Context<AppEnv>,
  contentType: string,
): Promise<URLSearchParams> {
  const body = await readBody(
    c,
    MAX_UPLOAD_BYTES,
    () => new AppError('payload_too_large', 413, 'The upload must be at most 256 KB.'),
  )
  let parsed: FormData
  try {
    parsed = await new Response(new Uint8Array(body), {
      headers: { 'content-type': contentType },
    }).formData()
  } catch {
    throw new AppError('invalid_form', 400, 'The form could not be read.')
  }
  const form = new URLSearchParams()
  const files = new Map<string, UploadedFile>()
  for (const [name, value] of parsed) {
    if (typeof value === 'string') form.append(name, value)
    else files.set(name, { type: value.type, bytes: Buffer.from(await value.arrayBuffer()) })
  }
  c.set('files', files)
  return form
}

export function csrfMatches(sent: string | null | undefined, expected: string | undefined) {
  return typeof sent === 'string' && sent.length > 0 && !!expected && safeEqual(sent, expected)
}

/**
 * In front of every /console URL. Without a live session every page but sign-in answers
 * with a redirect to sign-in (and no data); with one, `c.var.console` is the session. Every
 * POST's form is read here and must carry the session's CSRF token (403 otherwise); the
 * sign-in form's token is checked by its own route.
 */
export function consoleGate(
  core: CoreContext,
  cookies: ConsoleCookies,
  forbidden: (c: Context<AppEnv>) => Response,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const isPost = c.req.method === 'POST'
    if (c.req.path === SIGN_IN_PATH) {
      if (isPost) c.set('form', await readForm(c))
      return next()
    }
    const token = sessionToken(c, cookies)
    const session = token ? await consoleAuth.findConsoleSession(core, token) : null
    if (!session) {
      const back = c.req.method === 'GET' ? `?next=${encodeURIComponent(c.req.path)}` : ''
      c.header('Cache-Control', 'no-store')
      return c.redirect(`${SIGN_IN_PATH}${back}`, 303)
    }
    c.set('console', session)
    if (isPost) {
      const form = await readForm(c)
      if (!csrfMatches(form.get('_csrf'), session.csrfToken)) return forbidden(c)
      c.set('form', form)
    } else if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      return forbidden(c)
    }
    return next()
  }
}

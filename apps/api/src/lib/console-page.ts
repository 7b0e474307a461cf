import type { consoleAuth } from '@onboard/core'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppDeps, AppEnv } from './env'

/** The console's pages, in the order the navigation shows them. */
const CONSOLE_NAV = [
  { id: 'links', label: 'Links', href: '/console/links' },
  { id: 'numbers', label: 'Numbers', href: '/console/numbers' },
  { id: 'sessions', label: 'Sessions', href: '/console/sessions' },
  { id: 'webhooks', label: 'Webhooks', href: '/console/webhooks' },
  { id: 'api-keys', label: 'API keys', href: '/console/api-keys' },
  { id: 'branding', label: 'Branding', href: '/console/branding' },
] as const

export type ConsoleSection = (typeof CONSOLE_NAV)[number]['id']

/**
 * The hosted pages' policy (scripts and styles only from our origin, nothing inline), with
 * forms allowed to post back to us.
 */
const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const CONSOLE_HEADERS: readonly [string, string][] = Object.entries({
  'Content-Security-Policy': CONSOLE_CSP,
  'Referrer-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Pages show an organisation's data: never kept by a browser or a proxy.
  'Cache-Control': 'no-store',
})

export function setConsoleHeaders(c: Context<AppEnv>): void {
  for (const [name, value] of CONSOLE_HEADERS) c.header(name, value)
}

/** What the layout needs to draw the navigation, the mode switch and sign-out. */
interface ConsoleChrome {
  email: string
  mode: consoleAuth.ConsoleSession['mode']
  csrfToken: string
  section: ConsoleSection | null
  nav: typeof CONSOLE_NAV
}

function chrome(
  session: consoleAuth.ConsoleSession,
  section: ConsoleSection | null,
): ConsoleChrome {
  return {
    email: session.email,
    mode: session.mode,
    csrfToken: session.csrfToken,
    section,
    nav: CONSOLE_NAV,
  }
}

/**
 * Renders `console/<template>` for the signed-in session inside the console layout. The page
 * gets `it.chrome` (session facts for the layout and every form's CSRF token) and `data`.
 */
export function renderConsolePage(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, 'views'>,
  template: string,
  page: { title: string; section: ConsoleSection | null; status?: ContentfulStatusCode } & Record<
    string,
    unknown
  >,
): Response {
  const { status = 200, ...data } = page
  const session = c.get('console') as consoleAuth.ConsoleSession | undefined
  return c.html(
    deps.views.render(`./console/${template}`, {
      ...data,
      // Absent before sign-in (the sign-in form's own refusals): the layout then has no chrome.
      chrome: session ? chrome(session, page.section) : null,
    }),
    status,
  )
}

/** The console's "not here" page: unknown pages and other organisations' ids alike. */
export function renderConsoleNotFound(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, 'views'>,
  section: ConsoleSection | null = null,
): Response {
  return renderConsolePage(c, deps, 'not-found', { title: 'Not found', section, status: 404 })
}

/** A console path to come back to after signing in: only our own console pages. */
export function safeConsolePath(value: string | undefined | null): string {
  if (
    value &&
    /^\/console(\/[A-Za-z0-9_\-./]*)?(\?[A-Za-z0-9_\-.=&%]*)?$/.test(value) &&
    !value.includes('..')
  ) {
    return value
  }
  return '/console/links'
}

import type { Mode } from '@onboard/db'

/** Hosts Meta's JS SDK loads from and frames; Meta publishes no CSP, these are what it uses. */
const FACEBOOK_SCRIPT = 'https://connect.facebook.net'
const FACEBOOK_HOSTS = 'https://*.facebook.com'

/**
 * Only what the page needs. Test mode loads the sandbox's SDK from our own origin; live mode
 * adds Facebook's SDK host, its frames and XHRs, and inline styles the SDK injects.
 */
function signupCsp(mode: Mode | null): string {
  const live = mode === 'live'
  return [
    "default-src 'none'",
    `script-src 'self'${live ? ` ${FACEBOOK_SCRIPT}` : ''}`,
    `style-src 'self'${live ? " 'unsafe-inline'" : ''}`,
    `img-src 'self' data:${live ? ` ${FACEBOOK_HOSTS} https://*.fbcdn.net` : ''}`,
    `connect-src 'self'${live ? ` ${FACEBOOK_HOSTS} ${FACEBOOK_SCRIPT}` : ''}`,
    ...(live ? [`frame-src ${FACEBOOK_HOSTS}`] : []),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

function headersFor(mode: Mode | null, embedded: boolean): [string, string][] {
  return Object.entries({
    'Content-Security-Policy': signupCsp(mode),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // Each render carries a fresh nonce, and the state can change at any moment.
    'Cache-Control': 'no-store',
    // Opening Meta's popup needs the opener link; other windows still cannot reach this one.
    // Opened by embed.js for a link that lists origins, the page must keep its own opener
    // (the platform's page, another origin) to post the result to it: any other value would
    // put the page in a new browsing context group and sever that link.
    'Cross-Origin-Opener-Policy': embedded ? 'unsafe-none' : 'same-origin-allow-popups',
  })
}

// Built once per mode: the page sends them with every render.
const HEADERS_BY_MODE = {
  live: headersFor('live', false),
  test: headersFor('test', false),
  none: headersFor(null, false),
}
const EMBEDDED_HEADERS_BY_MODE = {
  live: headersFor('live', true),
  test: headersFor('test', true),
}

/**
 * The hosted page's headers, for a page of this mode (null: no such link or session);
 * `embedded` when embed.js opened a pending link that lists allowed origins.
 */
export function pageHeaders(mode: Mode | null, embedded = false): readonly [string, string][] {
  if (embedded && mode) return EMBEDDED_HEADERS_BY_MODE[mode]
  return HEADERS_BY_MODE[mode ?? 'none']
}

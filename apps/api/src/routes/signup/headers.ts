import type { Mode } from '@onboard/db'

/** Hosts Meta's JS SDK loads from and frames; Meta publishes no CSP, these are what it uses. */
const FACEBOOK_SCRIPT = 'https://connect.facebook.net'
const FACEBOOK_HOSTS = 'https://*.facebook.com'

/**
 * Only what the page needs. Test mode loads the sandbox's SDK from our own origin; live mode
 * adds Facebook's SDK host, its frames and XHRs, and inline styles the SDK injects.
 */
function signupCsp(mode: Mode | null, styleHash: string | null): string {
  const live = mode === 'live'
  // Live mode already allows inline styles (Meta's SDK injects them); a hash beside
  // 'unsafe-inline' would switch that off, so the branding's style element goes by its hash
  // only in test mode.
  const styles = live ? " 'unsafe-inline'" : styleHash ? ` '${styleHash}'` : ''
  return [
    "default-src 'none'",
    `script-src 'self'${live ? ` ${FACEBOOK_SCRIPT}` : ''}`,
    `style-src 'self'${styles}`,
    `img-src 'self' data:${live ? ` ${FACEBOOK_HOSTS} https://*.fbcdn.net` : ''}`,
    `connect-src 'self'${live ? ` ${FACEBOOK_HOSTS} ${FACEBOOK_SCRIPT}` : ''}`,
    ...(live ? [`frame-src ${FACEBOOK_HOSTS}`] : []),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** What varies a page's headers beyond its mode. */
interface PageHeaderOptions {
  /** The CSP hash of the branding's inline style element; null: none. */
  styleHash?: string | null
  /** embed.js opened a pending link that lists allowed origins. */
  embedded?: boolean
}

function headersFor(
  mode: Mode | null,
  { styleHash = null, embedded = false }: PageHeaderOptions = {},
): [string, string][] {
  return Object.entries({
    'Content-Security-Policy': signupCsp(mode, styleHash),
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

// Built once per mode: most renders send one of these.
const HEADERS_BY_MODE = {
  live: headersFor('live'),
  test: headersFor('test'),
  none: headersFor(null),
}

/**
 * The hosted page's headers, for a page of this mode (null: no such link or session). A
 * branded test page's style hash, or an embedded page, gets headers of its own.
 */
export function pageHeaders(
  mode: Mode | null,
  options: PageHeaderOptions = {},
): readonly [string, string][] {
  const ownStyle = Boolean(options.styleHash) && mode === 'test'
  if (!ownStyle && !options.embedded) return HEADERS_BY_MODE[mode ?? 'none']
  return headersFor(mode, {
    styleHash: ownStyle ? options.styleHash : null,
    embedded: options.embedded,
  })
}

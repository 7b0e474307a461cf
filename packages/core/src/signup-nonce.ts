import { createHmac } from 'node:crypto'
import { safeEqual } from './secrets'

/** Long enough to finish Meta's flow (business details, phone verification by SMS). */
const SIGNUP_NONCE_MAX_AGE_MS = 2 * 60 * 60 * 1000

function sign(key: Buffer, linkId: string, issuedAt: number): string {
  return createHmac('sha256', key)
    .update(`signup-nonce:v1:${linkId}:${issuedAt}`)
    .digest('base64url')
}

/**
 * A stateless proof that a callback comes from a page we rendered for this link, recently.
 * Stateless on purpose: rendering the page must not write (link previews open it).
 */
export function issueSignupNonce(key: Buffer, linkId: string, now: Date): string {
  const issuedAt = now.getTime()
  return `${issuedAt}.${sign(key, linkId, issuedAt)}`
}

/** True when any of `keys` (the keyring's current and previous nonce keys) made `nonce`. */
export function verifySignupNonceWithAny(
  keys: readonly Buffer[],
  linkId: string,
  nonce: string,
  now: Date,
): boolean {
  return keys.some((key) => verifySignupNonce(key, linkId, nonce, now))
}

export function verifySignupNonce(key: Buffer, linkId: string, nonce: string, now: Date): boolean {
  const match = /^(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(nonce)
  if (!match?.[1] || !match[2]) return false
  const issuedAt = Number(match[1])
  const age = now.getTime() - issuedAt
  // A little tolerance for clock steps; a nonce from the far future is forged or broken.
  if (age > SIGNUP_NONCE_MAX_AGE_MS || age < -60_000) return false
  return safeEqual(match[2], sign(key, linkId, issuedAt))
}

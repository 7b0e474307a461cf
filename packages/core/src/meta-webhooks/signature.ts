import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Mode } from '@onboard/db'

/** A Meta app whose secret may sign inbound webhooks, and the mode its objects live in. */
export interface SigningApp {
  mode: Mode
  secret: string
}

const HEADER = /^sha256=([0-9a-fA-F]{64})$/

/** `X-Hub-Signature-256` for `body`: `sha256=` + hex HMAC-SHA256 under the app secret. */
export function signMetaBody(body: string | Uint8Array, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/**
 * The mode of the app whose secret signed exactly these bytes, or null. The HMAC is over the
 * raw body (re-serialised JSON would not match Meta's escaping) and compared in constant time.
 */
export function verifyMetaSignature(
  body: Uint8Array,
  header: string | null | undefined,
  apps: readonly SigningApp[],
): Mode | null {
  const match = HEADER.exec(header?.trim() ?? '')
  if (!match?.[1]) return null
  const given = Buffer.from(match[1], 'hex')
  let signedBy: Mode | null = null
  for (const app of apps) {
    const expected = createHmac('sha256', app.secret).update(body).digest()
    if (timingSafeEqual(expected, given) && signedBy === null) signedBy = app.mode
  }
  return signedBy
}

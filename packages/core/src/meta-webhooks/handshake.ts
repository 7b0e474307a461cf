import { timingSafeEqual } from 'node:crypto'

export type HandshakeResult = { ok: true; challenge: string } | { ok: false; reason: string }

/**
 * Meta's subscription check: `hub.mode=subscribe` with our verify token gets `hub.challenge`
 * back; anything else is refused. Without a configured token nothing can be verified.
 */
export function answerHandshake(
  verifyToken: string | undefined,
  query: { mode?: string; token?: string; challenge?: string },
): HandshakeResult {
  if (!verifyToken) {
    return {
      ok: false,
      reason: 'META_WEBHOOK_VERIFY_TOKEN is not set on this server, so no handshake can succeed.',
    }
  }
  if (query.mode !== 'subscribe') return { ok: false, reason: 'hub.mode must be subscribe.' }
  if (!query.challenge) return { ok: false, reason: 'hub.challenge is missing.' }
  if (!sameText(query.token ?? '', verifyToken)) {
    return { ok: false, reason: 'hub.verify_token does not match.' }
  }
  return { ok: true, challenge: query.challenge }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

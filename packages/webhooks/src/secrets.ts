import { randomBytes } from 'node:crypto'

const PREFIX = 'whsec_'
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes (Svix uses 24). */
export function generateWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`
}

/**
 * The HMAC key for a secret. A `whsec_` secret whose rest is valid base64 is used as the
 * spec says: the decoded bytes. Anything else — like the seed's `whsec_my_secret_key_123`,
 * which is not base64 — is used as its raw UTF-8 bytes, which is what a receiver verifying
 * with `new Webhook(secret, { format: 'raw' })` expects.
 */
export function secretKeyBytes(secret: string): Buffer {
  if (isStandardSecret(secret)) return Buffer.from(secret.slice(PREFIX.length), 'base64')
  return Buffer.from(secret, 'utf8')
}

/** True when `standardwebhooks`' default (base64) format verifies this secret. */
export function isStandardSecret(secret: string): boolean {
  if (!secret.startsWith(PREFIX)) return false
  const rest = secret.slice(PREFIX.length)
  return rest.length >= 4 && STRICT_BASE64.test(rest)
}

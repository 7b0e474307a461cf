import { decryptSecret, type Keyring } from '../secrets'
import { perObject } from '../shared/per-object'

/**
 * Decrypted endpoint secrets, kept for a minute so that a burst of deliveries to one
 * endpoint decrypts its secret once rather than once per delivery.
 *
 * The key is the stored ciphertext itself, not the endpoint: every new secret (a rotation,
 * an update) is encrypted with a fresh IV, so a changed secret can never be served from the
 * cache. Whether the endpoint is enabled, and whether the previous secret still signs, are
 * read from the row on every delivery and never cached. One cache per keyring.
 */
const TTL_MS = 60_000
const MAX_ENTRIES = 1000

interface Entry {
  plaintext: string
  expiresAt: number
}

const cacheFor = perObject((_keyring: Keyring) => new Map<string, Entry>())

export function decryptEndpointSecret(keyring: Keyring, stored: string): string {
  const cache = cacheFor(keyring)
  const now = Date.now()
  const hit = cache.get(stored)
  if (hit && hit.expiresAt > now) return hit.plaintext
  if (hit) cache.delete(stored)
  const plaintext = decryptSecret(keyring, stored)
  if (cache.size >= MAX_ENTRIES) {
    // Oldest first: drop the expired, or failing that the oldest, so the cache stays bounded.
    for (const [key, entry] of cache) {
      if (entry.expiresAt <= now || cache.size >= MAX_ENTRIES) cache.delete(key)
      else break
    }
  }
  cache.set(stored, { plaintext, expiresAt: now + TTL_MS })
  return plaintext
}

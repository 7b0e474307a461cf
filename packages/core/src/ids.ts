import { randomBytes, randomUUID } from 'node:crypto'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Resources the seed shows with UUIDs (links, phones, WABAs, organisations) use UUIDs. */
export function newUuid(): string {
  return randomUUID()
}

/** `bytes` random bytes written in base62, so ids and keys stay URL- and copy-paste-safe. */
export function randomBase62(bytes: number): string {
  return base62(randomBytes(bytes))
}

/** Fixed width for the byte count, so equal-length ids compare as their numbers do. */
function base62(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`)
  const length = Math.ceil((bytes.length * 8) / Math.log2(62))
  let out = ''
  for (let i = 0; i < length; i++) {
    out = BASE62[Number(n % 62n)] + out
    n /= 62n
  }
  return out
}

/** Prefixed ids for our own objects, e.g. `key_…`, `wss_…`: 128 random bits. */
export function newPrefixedId(prefix: string): string {
  return `${prefix}_${randomBase62(16)}`
}

/**
 * Prefixed ids that sort by creation time (as Svix's KSUID-based ids do): 48 bits of
 * milliseconds, then 80 random bits, in the same 22 base62 characters. For the rows written
 * at volume (events, deliveries, receipts, attempts): random ids scatter every insert across
 * their indexes' pages; these land at the end. Not for ids that act as a capability (a
 * session's hosted URL), which stay fully random.
 */
export function newSortableId(prefix: string, now = Date.now()): string {
  const bytes = randomBytes(16)
  bytes.writeUIntBE(now, 0, 6)
  return `${prefix}_${base62(bytes)}`
}

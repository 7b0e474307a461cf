import { randomBytes, randomUUID } from 'node:crypto'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Resources the seed shows with UUIDs (links, phones, WABAs, organisations) use UUIDs. */
export function newUuid(): string {
  return randomUUID()
}

/** `bytes` random bytes written in base62, so ids and keys stay URL- and copy-paste-safe. */
export function randomBase62(bytes: number): string {
  let n = BigInt(`0x${randomBytes(bytes).toString('hex')}`)
  const length = Math.ceil((bytes * 8) / Math.log2(62))
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

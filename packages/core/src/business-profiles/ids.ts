const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const PREFIX = 'wabp_'
/** 128 bits in base62 always fit 22 characters. */
const LENGTH = 22

/**
 * A business profile is a view over one of our WABA rows, so its `wabp_…` id is that row's
 * UUID written in base62: one source of truth, and no second id to keep in step.
 */
export function businessProfileIdOf(wabaId: string): string {
  let n = BigInt(`0x${wabaId.replace(/-/g, '')}`)
  let out = ''
  for (let i = 0; i < LENGTH; i++) {
    out = BASE62[Number(n % 62n)] + out
    n /= 62n
  }
  return `${PREFIX}${out}`
}

/** The WABA row id behind a `wabp_…` id, or null when it is not one of ours. */
export function wabaIdOfBusinessProfile(profileId: string): string | null {
  const match = /^wabp_([0-9A-Za-z]{22})$/.exec(profileId)
  if (!match?.[1]) return null
  let n = 0n
  for (const char of match[1]) n = n * 62n + BigInt(BASE62.indexOf(char))
  if (n >= 1n << 128n) return null
  const hex = n.toString(16).padStart(32, '0')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

import { isIPv4, isIPv6 } from 'node:net'

/**
 * The part of a client address the sign-in limit counts. One host or provider customer
 * usually holds a whole IPv6 /64 (and can pick a new address in it for every request), so an
 * IPv6 address counts as its /64; an IPv4 address (also written IPv4-mapped, `::ffff:a.b.c.d`)
 * counts as itself. Anything else (no socket address) counts as it is.
 */
export function addressForLimit(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1]
  const bare = address.split('%')[0] ?? address // a zone index names the interface, not the host
  if (!isIPv6(bare)) return address
  return `${expandIPv6(bare).slice(0, 4).join(':')}::/64`
}

/** The eight 16-bit groups of a valid IPv6 address, lower-case, without leading zeros. */
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase()
  // An embedded IPv4 tail (`::1.2.3.4`) is two more groups.
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', rest] = text.split('::')
  const left = head ? head.split(':') : []
  const right = rest ? rest.split(':') : []
  const zeros = rest === undefined ? [] : Array(8 - left.length - right.length).fill('0')
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16).toString(16))
}

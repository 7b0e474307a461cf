import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/**
 * Address ranges a webhook must never reach unless the operator allows private targets:
 * the host itself, private networks, link-local (where cloud metadata lives), CGNAT, and
 * the special-purpose ranges of RFC 6890 (IPv4 and IPv6), following Svix's list.
 */
const BLOCKED_V4 = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT (also Alibaba's metadata 100.100.100.200)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, incl. 169.254.169.254 metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments (incl. Oracle's 192.0.0.192)
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast
] as const

const BLOCKED_V6 = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::ffff:0:0', 96], // IPv4-mapped: would reach any IPv4 address, private ones included
  ['::ffff:0:0:0', 96], // IPv4-translated (SIIT, RFC 2765): likewise reaches IPv4
  ['::', 96], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48], // local NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['3fff::', 20], // documentation
  ['5f00::', 16], // SRv6
  ['fc00::', 7], // unique local (incl. AWS metadata fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const

// Two lists: one BlockList would also match IPv4 addresses against the IPv6 rules (as mapped).
const blockedV4 = new BlockList()
for (const [network, prefix] of BLOCKED_V4) blockedV4.addSubnet(network, prefix, 'ipv4')
const blockedV6 = new BlockList()
for (const [network, prefix] of BLOCKED_V6) blockedV6.addSubnet(network, prefix, 'ipv6')

/** True when `address` (an IP literal) is in a range webhooks may not reach. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return false
  return family === 4 ? blockedV4.check(address, 'ipv4') : blockedV6.check(address, 'ipv6')
}

/**
 * `localhost` and every name under it, in any case, with or without trailing dots: RFC 6761
 * says they always mean loopback, and resolvers answer them without asking DNS.
 */
const LOCALHOST_NAME = /(^|\.)localhost\.*$/i

/**
 * True when `host` (a URL's hostname, brackets removed) is a blocked IP literal or a name
 * that always means loopback. Other names are checked on what they resolve to
 * (`guardedLookup`), since that can change.
 */
export function isBlockedHost(host: string): boolean {
  return isBlockedAddress(host) || LOCALHOST_NAME.test(host)
}

/** A refused target. Never retried: the same name resolving the same way fails the same way. */
export class BlockedTargetError extends Error {
  readonly code = 'ERR_WEBHOOK_TARGET_BLOCKED'
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      host === address
        ? `The target ${address} is a private, loopback, link-local or reserved address; set WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it`
        : `The target ${host} resolves to ${address}, a private, loopback, link-local or reserved address; set WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it`,
    )
    this.name = 'BlockedTargetError'
  }
}

/**
 * A DNS lookup for net/tls.connect that refuses blocked answers. The socket connects to the
 * very address checked here, so a name that re-resolves elsewhere (DNS rebinding) gains nothing.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) {
      callback(error, '', 0)
      return
    }
    const refused = addresses.find((entry) => isBlockedAddress(entry.address))
    if (refused) {
      callback(new BlockedTargetError(hostname, refused.address), '', 0)
      return
    }
    if (options.all) {
      ;(callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses)
      return
    }
    const first = addresses[0]
    if (!first) {
      callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0)
      return
    }
    callback(null, first.address, first.family)
  })
}

import { z } from 'zod'

const MAX_ALLOWED_ORIGINS = 10
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])
/** scheme://authority and nothing else: no path (not even "/"), query, fragment or user info. */
const ORIGIN_SHAPE = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@\\]+$/i
/** A DNS name or IPv4 address after URL parsing (IDNs arrive as punycode); or an IPv6 literal. */
const PLAIN_HOST = /^(?:[a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/

/**
 * An origin exactly as a browser reports `event.origin`, normalised the way the browser
 * normalises it (lowercase host, default port dropped), or why it is not one. https
 * anywhere; http only for a local host, as for redirect URLs.
 */
function parseOrigin(value: string): { origin: string } | { problem: string } {
  if (!ORIGIN_SHAPE.test(value)) {
    return { problem: 'must be an origin, scheme://host[:port], with no path, query or fragment' }
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return { problem: 'must be an origin, scheme://host[:port]' }
  }
  if (!PLAIN_HOST.test(url.hostname)) {
    return { problem: 'must name one host (no wildcards)' }
  }
  if (url.protocol === 'https:') return { origin: url.origin }
  if (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)) return { origin: url.origin }
  return {
    problem: 'must use https (http is allowed only for localhost, 127.0.0.1 and [::1])',
  }
}

/**
 * The origins a hosted page may report its result to (embed.js). Each entry must be an
 * origin; two entries that normalise to the same origin are refused, naming the later one.
 */
export const allowedOriginsSchema = z
  .array(z.string().max(2048))
  .max(MAX_ALLOWED_ORIGINS)
  .superRefine((values, ctx) => {
    const seen = new Map<string, number>()
    values.forEach((value, index) => {
      const parsed = parseOrigin(value)
      if ('problem' in parsed) {
        ctx.addIssue({ code: 'custom', path: [index], message: parsed.problem })
        return
      }
      const first = seen.get(parsed.origin)
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: `duplicates allowedOrigins[${first}] (${parsed.origin})`,
        })
        return
      }
      seen.set(parsed.origin, index)
    })
  })

/** The normalised origins to store, once the schema has accepted them. */
export function normalizeOrigins(values: readonly string[]): string[] {
  return values.map((value) => {
    const parsed = parseOrigin(value)
    if ('problem' in parsed) throw new Error(`not an origin: ${value}`)
    return parsed.origin
  })
}

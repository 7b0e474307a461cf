import { randomBytes, randomInt } from 'node:crypto'

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function randomFrom(alphabet: string, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)]
  return out
}

/** Graph object ids: 15 digits, never starting with 0, like Meta's. */
export function graphId(): string {
  return `${randomInt(1, 10)}${randomFrom('0123456789', 14)}`
}

/** Looks like Meta's codes: `AQB…`, around 330 url-safe characters. */
export function authorizationCode(): string {
  return `AQB${randomBytes(246).toString('base64url')}`
}

/** Looks like a Business Integration System User token: `EAA…`. */
export function accessToken(): string {
  return `EAA${randomFrom(BASE62, 190)}`
}

export function fbtraceId(): string {
  return randomFrom(BASE62, 11)
}

export function sessionId(): string {
  return randomBytes(8).toString('hex').slice(0, 15)
}

export interface GeneratedNumber {
  e164: string
  display: string
}

/**
 * Numbers from ranges reserved for fiction (US 555-01XX, UK 07700 900XXX), so a sandbox
 * number can never text a real person.
 */
export function phoneNumber(): GeneratedNumber {
  if (randomInt(3) === 0) {
    const tail = String(randomInt(1000)).padStart(3, '0')
    return { e164: `+447700900${tail}`, display: `+44 7700 900${tail}` }
  }
  const area = ['631', '212', '415', '646', '305', '512'][randomInt(6)] ?? '631'
  const tail = String(randomInt(100)).padStart(2, '0')
  return { e164: `+1${area}55501${tail}`, display: `+1 ${area}-555-01${tail}` }
}

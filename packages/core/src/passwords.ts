import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'

/**
 * scrypt with N=2^15, r=8, p=1: 32 MiB and tens of milliseconds per guess (OWASP's
 * recommended minimum is N=2^17 with r=8 for new systems, which costs 128 MiB per sign-in; at
 * 2^15 a small machine still serves several sign-ins at once). The parameters are stored
 * with each hash, so raising them later only affects new hashes.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 }
const KEY_LENGTH = 64
const SALT_BYTES = 16

function derive(password: string, salt: Buffer, params: typeof PARAMS): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r }
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  )
}

/** `scrypt$N$r$p$salt$hash`, a fresh random salt per password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, PARAMS)
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$')
}

/** True when `password` made `stored`; compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const key = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/**
 * Verifying against this when the email is unknown makes a wrong email cost as much as a
 * wrong password, so the time taken does not tell which one was wrong.
 */
let decoy: Promise<string> | undefined
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'))
  return decoy
}

/**
 * How many sign-in password checks one process runs at once. Each holds 32 MiB and a thread
 * of libuv's small pool (shared with file and DNS work) for tens of milliseconds; a burst of
 * sign-ins beyond this is answered "busy" instead of queueing behind each other.
 */
export const MAX_CONCURRENT_VERIFICATIONS = 4
let verifying = 0

/** A slot for one password check, or null when all are taken; call the result to free it. */
export function claimVerificationSlot(): (() => void) | null {
  if (verifying >= MAX_CONCURRENT_VERIFICATIONS) return null
  verifying += 1
  let freed = false
  return () => {
    if (freed) return
    freed = true
    verifying -= 1
  }
}

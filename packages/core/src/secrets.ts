import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'

/**
 * HKDF labels: each use of the configured key gets a key of its own, so a value made for one
 * purpose (a signup nonce, a sandbox signature) is never a MAC or ciphertext under another.
 */
const LABELS = {
  atRest: 'onboard/secrets-at-rest/v1',
  keyId: 'onboard/key-id/v1',
  signupNonce: 'onboard/signup-nonce/v1',
  sandboxAppSecret: 'onboard/meta-sandbox-app-secret/v1',
  sandboxSystemUserToken: 'onboard/meta-sandbox-system-user-token/v1',
} as const

const CURRENT_VERSION = 'v2'
/** Written before key ids existed: AES-256-GCM under the raw configured key, no id. */
const LEGACY_VERSION = 'v1'

function derive(masterKey: Buffer, label: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), label, length))
}

/** What one configured key (ENCRYPTION_KEY or a previous one) yields. */
export interface DerivedKeys {
  /** Short public fingerprint written into every ciphertext (8 base64url characters). */
  keyId: string
  /** AES-256-GCM key for secrets at rest. */
  atRestKey: Buffer
  /** HMAC key of the hosted page's signup nonce. */
  signupNonceKey: Buffer
  /** The test-mode (sandbox) Meta app's secret on this deployment. */
  sandboxAppSecret: string
  /**
   * The sandbox's system-user token on this deployment (META_SYSTEM_USER_TOKEN's stand-in):
   * it reads and changes every WABA the sandbox issued, so it is as secret as the key itself.
   */
  sandboxSystemUserToken: string
}

export function deriveKeys(masterKey: Buffer): DerivedKeys {
  if (masterKey.length !== 32) throw new Error('An encryption key must be 32 bytes')
  return {
    keyId: derive(masterKey, LABELS.keyId, 6).toString('base64url'),
    atRestKey: derive(masterKey, LABELS.atRest, 32),
    signupNonceKey: derive(masterKey, LABELS.signupNonce, 32),
    sandboxAppSecret: derive(masterKey, LABELS.sandboxAppSecret, 16).toString('hex'),
    // `EAA…` like Meta's user tokens, so it looks and parses like the real thing.
    sandboxSystemUserToken: `EAA${derive(masterKey, LABELS.sandboxSystemUserToken, 32).toString('base64url')}`,
  }
}

/**
 * The deployment's keys: the current one encrypts, previous ones (ENCRYPTION_KEY_PREVIOUS)
 * only decrypt until `pnpm cli secrets reencrypt` has moved every row to the current one.
 */
export interface Keyring {
  currentKeyId: string
  /** Signs the nonce of every page rendered now. */
  signupNonceKey: Buffer
  /**
   * Verify a nonce: the current key's, then each previous key's, so a page rendered before a
   * rotation (it lives up to 2 h) still completes after the restart.
   */
  signupNonceKeys: readonly Buffer[]
  sandboxAppSecret: string
  sandboxSystemUserToken: string
  /** AES-256-GCM under an HKDF key; as `v2.<keyId>.<iv>.<tag>.<ciphertext>` in base64url. */
  encrypt: (plaintext: string) => string
  decrypt: (stored: string) => string
  /** True when `stored` was made by the current key in the current format. */
  isCurrent: (stored: string) => boolean
}

export function createKeyring(current: Buffer, previous: readonly Buffer[] = []): Keyring {
  const currentKeys = deriveKeys(current)
  const byId = new Map<string, Buffer>()
  for (const master of [current, ...previous]) {
    const keys = deriveKeys(master)
    if (!byId.has(keys.keyId)) byId.set(keys.keyId, keys.atRestKey)
  }
  const rawKeys = [current, ...previous]
  return {
    currentKeyId: currentKeys.keyId,
    signupNonceKey: currentKeys.signupNonceKey,
    signupNonceKeys: rawKeys.map((raw) => deriveKeys(raw).signupNonceKey),
    sandboxAppSecret: currentKeys.sandboxAppSecret,
    sandboxSystemUserToken: currentKeys.sandboxSystemUserToken,
    encrypt: (plaintext) =>
      `${CURRENT_VERSION}.${currentKeys.keyId}.${seal(currentKeys.atRestKey, plaintext)}`,
    decrypt: (stored) => {
      const [version, ...rest] = stored.split('.')
      if (version === CURRENT_VERSION) {
        const [keyId, ...sealed] = rest
        const key = keyId === undefined ? undefined : byId.get(keyId)
        if (!key) {
          throw new Error(
            `This secret was encrypted with key ${keyId}, which is neither ENCRYPTION_KEY nor in ENCRYPTION_KEY_PREVIOUS`,
          )
        }
        return open(key, sealed)
      }
      if (version === LEGACY_VERSION) {
        // Legacy ciphertexts carry no key id. They were all made with the raw key configured
        // at the time: the current one, or, after a rotation, a previous one. GCM's tag tells
        // a wrong key apart, and `secrets reencrypt` upgrades them so this path goes away.
        for (const raw of rawKeys) {
          try {
            return open(raw, rest)
          } catch {}
        }
        throw new Error('No configured key decrypts this legacy (v1) secret')
      }
      throw new Error('Unrecognised encrypted secret format')
    },
    isCurrent: (stored) => stored.startsWith(`${CURRENT_VERSION}.${currentKeys.keyId}.`),
  }
}

/** True when `stored` looks like one of our ciphertexts (any version). */
export function isEncryptedSecret(stored: string): boolean {
  return /^v[12]\.[A-Za-z0-9_.-]+$/.test(stored)
}

function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')
}

function open(key: Buffer, parts: string[]): string {
  const [iv, tag, body] = parts
  if (!iv || !tag || body === undefined || parts.length !== 3) {
    throw new Error('Unrecognised encrypted secret format')
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()])
  return plain.toString('utf8')
}

/** AES-256-GCM for secrets at rest (Meta tokens, webhook secrets, PINs, stored responses). */
export function encryptSecret(keyring: Keyring, plaintext: string): string {
  return keyring.encrypt(plaintext)
}

export function decryptSecret(keyring: Keyring, stored: string): string {
  return keyring.decrypt(stored)
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

/** Constant-time comparison of two strings of any length. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest()
  const right = createHash('sha256').update(b).digest()
  return timingSafeEqual(left, right) && a.length === b.length
}

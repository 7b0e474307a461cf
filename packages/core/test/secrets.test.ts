import { describe, expect, it } from 'vitest'
import {
  createKeyring,
  decryptSecret,
  deriveKeys,
  encryptSecret,
  newPrefixedId,
  newSortableId,
  randomBase62,
  safeEqual,
} from '../src/index'
import { issueSignupNonce, verifySignupNonce } from '../src/signup-nonce'
import { encryptLegacySecret } from '../src/testing/index'

describe('secrets at rest', () => {
  const rawKey = Buffer.alloc(32, 1)
  const key = createKeyring(rawKey)

  it('round-trips through AES-256-GCM with a fresh IV each time', () => {
    const a = encryptSecret(key, 'whsec_abc')
    const b = encryptSecret(key, 'whsec_abc')
    expect(a).not.toBe(b)
    expect(a).not.toContain('whsec_abc')
    expect(decryptSecret(key, a)).toBe('whsec_abc')
  })

  it('says which key made a ciphertext, in a versioned prefix', () => {
    const stored = encryptSecret(key, 'token')
    expect(stored.startsWith(`v2.${key.currentKeyId}.`)).toBe(true)
    expect(key.currentKeyId).toMatch(/^[A-Za-z0-9_-]{8}$/)
    expect(key.isCurrent(stored)).toBe(true)
  })

  it('refuses a tampered ciphertext or an unknown key, naming the key id', () => {
    const stored = encryptSecret(key, 'token')
    const parts = stored.split('.')
    const body = Buffer.from(parts[4]!, 'base64url')
    body[0] = (body[0] ?? 0) ^ 1
    parts[4] = body.toString('base64url')
    expect(() => decryptSecret(key, parts.join('.'))).toThrow()
    expect(() => decryptSecret(createKeyring(Buffer.alloc(32, 2)), stored)).toThrow(
      new RegExp(`encrypted with key ${key.currentKeyId}`),
    )
  })

  it('still decrypts the legacy format (raw configured key, no id), as not current', () => {
    const legacy = encryptLegacySecret(rawKey, 'EAAtoken')
    expect(decryptSecret(key, legacy)).toBe('EAAtoken')
    expect(key.isCurrent(legacy)).toBe(false)
    // After a rotation, a legacy ciphertext made by the previous raw key still reads.
    const rotated = createKeyring(Buffer.alloc(32, 2), [rawKey])
    expect(decryptSecret(rotated, legacy)).toBe('EAAtoken')
    expect(() => decryptSecret(createKeyring(Buffer.alloc(32, 2)), legacy)).toThrow()
  })

  it('decrypts with a previous key by its id and encrypts only with the current one', () => {
    const old = encryptSecret(key, 'whsec_old')
    const rotated = createKeyring(Buffer.alloc(32, 2), [Buffer.alloc(32, 3), rawKey])
    expect(decryptSecret(rotated, old)).toBe('whsec_old')
    expect(rotated.isCurrent(old)).toBe(false)
    const fresh = encryptSecret(rotated, 'whsec_new')
    expect(rotated.isCurrent(fresh)).toBe(true)
    expect(() => decryptSecret(key, fresh)).toThrow()
  })

  it('derives separate keys per purpose: a signup nonce is no HMAC under the raw or at-rest key', () => {
    const derived = deriveKeys(rawKey)
    const now = new Date('2026-11-22T12:00:00.000Z')
    const nonce = issueSignupNonce(key.signupNonceKey, 'link-1', now)
    expect(verifySignupNonce(key.signupNonceKey, 'link-1', nonce, now)).toBe(true)
    expect(verifySignupNonce(rawKey, 'link-1', nonce, now)).toBe(false)
    expect(verifySignupNonce(derived.atRestKey, 'link-1', nonce, now)).toBe(false)
    // And the reverse: a nonce made under the raw key (as before) is refused.
    expect(
      verifySignupNonce(key.signupNonceKey, 'link-1', issueSignupNonce(rawKey, 'link-1', now), now),
    ).toBe(false)
    const keys = [rawKey, derived.atRestKey, derived.signupNonceKey].map((k) => k.toString('hex'))
    expect(new Set([...keys, derived.sandboxAppSecret, derived.sandboxSystemUserToken]).size).toBe(
      5,
    )
  })

  it('gives every deployment its own sandbox app secret, never the old public constant', () => {
    const a = createKeyring(rawKey).sandboxAppSecret
    expect(a).toMatch(/^[0-9a-f]{32}$/)
    expect(a).toBe(createKeyring(rawKey).sandboxAppSecret)
    expect(createKeyring(Buffer.alloc(32, 2)).sandboxAppSecret).not.toBe(a)
    expect(a).not.toBe('d3f1a9c0b7e24f6a8c5d0e1f2a3b4c5d')
  })

  it('gives every deployment its own sandbox system-user token, never the old public constant', () => {
    const a = createKeyring(rawKey).sandboxSystemUserToken
    expect(a).toMatch(/^EAA[0-9A-Za-z_-]{43}$/)
    expect(a).toBe(createKeyring(rawKey).sandboxSystemUserToken)
    expect(createKeyring(Buffer.alloc(32, 2)).sandboxSystemUserToken).not.toBe(a)
    expect(a).not.toBe('EAAsandboxPartnerSystemUserToken')
  })

  it('compares strings in constant time and correctly', () => {
    expect(safeEqual('abc', 'abc')).toBe(true)
    expect(safeEqual('abc', 'abd')).toBe(false)
    expect(safeEqual('abc', 'abcd')).toBe(false)
  })

  it('makes ids and keys with at least 128 random bits', () => {
    expect(randomBase62(24)).toHaveLength(33)
    expect(newPrefixedId('key')).toMatch(/^key_[0-9A-Za-z]{22}$/)
    expect(new Set(Array.from({ length: 1000 }, () => newPrefixedId('x'))).size).toBe(1000)
  })

  it('makes sortable ids that order by creation time and stay unique within a millisecond', () => {
    const at = Date.parse('2026-11-22T12:00:00.000Z')
    const times = [at - 86_400_000, at - 1, at, at + 1, at + 60_000, at + 10 * 365 * 86_400_000]
    const ids = times.map((time) => newSortableId('msg', time))
    for (const id of ids) expect(id).toMatch(/^msg_[0-9A-Za-z]{22}$/)
    expect([...ids].sort()).toEqual(ids)
    const sameMillisecond = Array.from({ length: 1000 }, () => newSortableId('msg', at))
    expect(new Set(sameMillisecond).size).toBe(1000)
  })
})

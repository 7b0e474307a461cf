import { describe, expect, it } from 'vitest'
import {
  decryptSecret,
  encryptSecret,
  newPrefixedId,
  newSortableId,
  randomBase62,
  safeEqual,
} from '../src/index'

describe('secrets at rest', () => {
  const key = Buffer.alloc(32, 1)

  it('round-trips through AES-256-GCM with a fresh IV each time', () => {
    const a = encryptSecret(key, 'whsec_abc')
    const b = encryptSecret(key, 'whsec_abc')
    expect(a).not.toBe(b)
    expect(a).not.toContain('whsec_abc')
    expect(decryptSecret(key, a)).toBe('whsec_abc')
  })

  it('refuses a tampered ciphertext or the wrong key', () => {
    const stored = encryptSecret(key, 'token')
    const parts = stored.split('.')
    const body = Buffer.from(parts[3]!, 'base64url')
    body[0] = (body[0] ?? 0) ^ 1
    parts[3] = body.toString('base64url')
    expect(() => decryptSecret(key, parts.join('.'))).toThrow()
    expect(() => decryptSecret(Buffer.alloc(32, 2), stored)).toThrow()
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

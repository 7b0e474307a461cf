import { createCipheriv, randomBytes } from 'node:crypto'

/**
 * A secret as stored before key ids existed (`v1.<iv>.<tag>.<ciphertext>`, AES-256-GCM under
 * the raw configured key), for tests of the upgrade path.
 */
export function encryptLegacySecret(rawKey: Buffer, plaintext: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', rawKey, iv)
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return `v1.${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')}`
}

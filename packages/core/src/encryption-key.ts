import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Config } from './config'

export interface ResolvedKey {
  key: Buffer
  /** Set when the key was generated into the data folder: the caller should warn once. */
  generatedAt: string | undefined
  path: string | undefined
}

/**
 * ENCRYPTION_KEY when set; otherwise, outside production, a key generated once into the
 * data folder beside the SQLite file, so a fresh local start needs no set-up. The API and
 * the worker may race here: `wx` makes exactly one of them create the file.
 */
export function resolveEncryptionKey(config: Config): ResolvedKey {
  if (config.encryptionKey) {
    return {
      key: Buffer.from(config.encryptionKey, 'base64'),
      generatedAt: undefined,
      path: undefined,
    }
  }
  if (config.production) {
    throw new Error('Invalid configuration: ENCRYPTION_KEY is required when NODE_ENV=production')
  }
  if (config.database.dialect === 'postgres') {
    // Every process of a scaled-out deployment must hold the same key; a generated one
    // would be different on each machine.
    throw new Error(
      'Invalid configuration: ENCRYPTION_KEY is required with a PostgreSQL DATABASE_URL (every process must share it)',
    )
  }
  const path = join(dirname(resolve(config.database.filename)), 'encryption.key')
  mkdirSync(dirname(path), { recursive: true })
  let generatedAt: string | undefined
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 })
    generatedAt = path
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')
  if (key.length !== 32) throw new Error(`The key in ${path} is not 32 bytes of base64`)
  return { key, generatedAt, path }
}

import { createDb, type Db, migrateToLatest } from '@onboard/db'
import type { Config } from './config'
import type { CoreContext } from './context'
import { resolveEncryptionKey } from './encryption-key'
import { createKeyring } from './secrets'

export interface OpenedCore {
  core: CoreContext
  db: Db
  /** Set when a local encryption key was generated on this start; worth a warning. */
  generatedKeyPath: string | undefined
  close: () => Promise<void>
}

/** Opens the database (migrated) and the secrets key the way every process does. */
export async function openCore(config: Config): Promise<OpenedCore> {
  const key = resolveEncryptionKey(config)
  const { db } = createDb({ filename: config.databaseUrl })
  await migrateToLatest(db)
  const core: CoreContext = {
    db,
    keyring: createKeyring(
      key.key,
      config.previousEncryptionKeys.map((previous) => Buffer.from(previous, 'base64')),
    ),
    publicBaseUrl: config.publicBaseUrl,
    now: () => new Date(),
  }
  return { core, db, generatedKeyPath: key.generatedAt, close: () => db.destroy() }
}

import {
  assertReachable,
  createDb,
  type Db,
  describeConnectionFailure,
  migrateToLatest,
} from '@onboard/db'
import type { Config } from './config'
import type { CoreContext } from './context'
import { resolveEncryptionKey } from './encryption-key'
import { createKeyring } from './secrets'
import { relayOnlyQueue, type WorkQueue } from './work-queue'

export interface OpenedCore {
  core: CoreContext
  db: Db
  /** Set when a local encryption key was generated on this start; worth a warning. */
  generatedKeyPath: string | undefined
  close: () => Promise<void>
}

/**
 * Opens the database (migrated unless `migrate: false`) and the secrets key the way every
 * process does; `queue` is where committed work goes (none: the worker's relay finds it). A database that cannot be reached or opened stops start-up with one line
 * naming DATABASE_URL and why.
 */
export async function openCore(
  config: Config,
  options: { migrate?: boolean; queue?: WorkQueue } = {},
): Promise<OpenedCore> {
  const key = resolveEncryptionKey(config)
  const db = createDb(config.database)
  try {
    await assertReachable(db)
    if (options.migrate !== false) await migrateToLatest(db)
  } catch (error) {
    await db.destroy().catch(() => {})
    throw new Error(
      `Invalid configuration: DATABASE_URL ${describeConnectionFailure(config.database, error)}`,
    )
  }
  const core: CoreContext = {
    db,
    keyring: createKeyring(
      key.key,
      config.previousEncryptionKeys.map((previous) => Buffer.from(previous, 'base64')),
    ),
    publicBaseUrl: config.publicBaseUrl,
    now: () => new Date(),
    queue: options.queue ?? relayOnlyQueue,
  }
  return { core, db, generatedKeyPath: key.generatedAt, close: () => db.destroy() }
}

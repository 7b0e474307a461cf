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

/**
 * Calls `stop` once: on SIGTERM or SIGINT, or when the supervisor's IPC channel closes (the
 * supervisor died, even by SIGKILL), so no orphan runs on holding the port. Without a
 * channel there is no 'disconnect' event.
 */
export function onStopRequest(stop: (reason: string) => Promise<void>): void {
  let stopping = false
  const once = (reason: string) => {
    if (stopping) return
    stopping = true
    void stop(reason)
  }
  process.on('SIGTERM', () => once('SIGTERM'))
  process.on('SIGINT', () => once('SIGINT'))
  process.on('disconnect', () => once('supervisor gone'))
}

/** Start-up failures are one line on stderr (a bad variable, an unreachable database, a port). */
export function exitWith(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

import type { Db, Mode } from '@onboard/db'
import type { Keyring } from './secrets'
import type { WorkQueue } from './work-queue'

/** What every core function needs, built once at start-up and passed in. */
export interface CoreContext {
  db: Db
  /** Keys derived from ENCRYPTION_KEY (and previous keys): secrets at rest, nonces, sandbox. */
  keyring: Keyring
  /** Origin used in `hostedUrl` and session `url`. */
  publicBaseUrl: string
  now: () => Date
  /** Where committed work goes after commit (deliveries, Meta receipts). */
  queue: WorkQueue
}

/** The organisation and mode an API key resolves to; every customer query filters on both. */
export interface Tenant {
  organizationId: string
  mode: Mode
}

import type { Db, Mode } from '@onboard/db'

/** What every core function needs, built once at start-up and passed in. */
export interface CoreContext {
  db: Db
  /** AES-256-GCM key for secrets at rest. */
  encryptionKey: Buffer
  /** Origin used in `hostedUrl` and session `url`. */
  publicBaseUrl: string
  now: () => Date
}

/** The organisation and mode an API key resolves to; every customer query filters on both. */
export interface Tenant {
  organizationId: string
  mode: Mode
}

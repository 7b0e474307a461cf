import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDb, migrateToLatest } from '@onboard/db'
import type { CoreContext } from '../context'
import { createKeyring } from '../secrets'

/** The test databases' ENCRYPTION_KEY (base64), for a second process to open them with. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64')

let templatePath: string | undefined

/** Migrates one SQLite file per test process; every test database is a copy of it. */
async function migratedTemplate(): Promise<string> {
  if (templatePath) return templatePath
  const dir = mkdtempSync(join(tmpdir(), 'onboard-template-'))
  const path = join(dir, 'template.db')
  const { db, sqlite } = createDb({ filename: path })
  await migrateToLatest(db)
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  await db.destroy()
  templatePath = path
  return path
}

export interface TestDatabase {
  core: CoreContext
  /** The SQLite file, for a second process (the worker) to open. */
  filename: string
  dir: string
  /** ENCRYPTION_KEY (base64) of this database's keyring, for a second process. */
  encryptionKey: string
  /** Moves this database's clock; core functions read time only through it. */
  setNow: (date: Date) => void
  close: () => Promise<void>
}

/** A fresh, migrated, file-backed database for one test, with a fixed encryption key. */
export async function createTestDatabase(
  options: { publicBaseUrl?: string } = {},
): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'onboard-test-'))
  const filename = join(dir, 'onboarding.db')
  copyFileSync(await migratedTemplate(), filename)
  const { db } = createDb({ filename })
  let fixedNow: Date | undefined
  const core: CoreContext = {
    db,
    keyring: createKeyring(Buffer.from(TEST_ENCRYPTION_KEY, 'base64')),
    publicBaseUrl: options.publicBaseUrl ?? 'http://localhost:3000',
    now: () => fixedNow ?? new Date(),
  }
  return {
    core,
    filename,
    dir,
    encryptionKey: TEST_ENCRYPTION_KEY,
    setNow: (date) => {
      fixedNow = date
    },
    close: async () => {
      await db.destroy()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

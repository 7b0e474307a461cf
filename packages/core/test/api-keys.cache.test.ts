import { createDb, parseDatabaseUrl } from '@onboard/db'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  API_KEY_CACHE_TTL_MS,
  authenticateApiKey,
  type CoreContext,
  createOrganization,
  revokeApiKey,
  sha256Hex,
} from '../src/index'
import { createTestDatabase, type TestDatabase } from '../src/testing/index'

describe('the API key cache', () => {
  let db: TestDatabase
  let key: string
  let keyId: string
  let now: Date
  beforeEach(async () => {
    db = await createTestDatabase()
    now = new Date('2026-01-01T00:00:00.000Z')
    db.setNow(now)
    const org = await createOrganization(db.core, { name: 'Acme' })
    key = org.keys.test
    const row = await db.core.db
      .selectFrom('api_keys')
      .select('id')
      .where('organization_id', '=', org.organization.id)
      .where('mode', '=', 'test')
      .executeTakeFirstOrThrow()
    keyId = row.id
  })
  afterEach(async () => {
    await db.close()
  })

  /** The same database file opened a second time, as the CLI process would. */
  function anotherProcess(): { core: CoreContext; close: () => Promise<void> } {
    const other = createDb(parseDatabaseUrl(db.databaseUrl))
    return { core: { ...db.core, db: other }, close: () => other.destroy() }
  }

  it('refuses a key revoked in this process from the very next request', async () => {
    expect(await authenticateApiKey(db.core, key)).toMatchObject({ keyId, mode: 'test' })
    await revokeApiKey(db.core, keyId)
    expect(await authenticateApiKey(db.core, key)).toBeNull()
  })

  it('refuses a key revoked by another process once the cache time has passed', async () => {
    expect(await authenticateApiKey(db.core, key)).not.toBeNull()
    const cli = anotherProcess()
    await revokeApiKey(cli.core, keyId)
    await cli.close()
    // Within the cache time this process still trusts what it read...
    db.setNow(new Date(now.getTime() + API_KEY_CACHE_TTL_MS - 1))
    expect(await authenticateApiKey(db.core, key)).not.toBeNull()
    // ...and not a moment after.
    db.setNow(new Date(now.getTime() + API_KEY_CACHE_TTL_MS))
    expect(await authenticateApiKey(db.core, key)).toBeNull()
  })

  it('reads the database again when the clock goes back', async () => {
    expect(await authenticateApiKey(db.core, key)).not.toBeNull()
    const cli = anotherProcess()
    await revokeApiKey(cli.core, keyId)
    await cli.close()
    db.setNow(new Date(now.getTime() - 1))
    expect(await authenticateApiKey(db.core, key)).toBeNull()
  })

  it('never remembers an unknown key, so a key created later works at once', async () => {
    const unknown = `sk_org_test_${'A'.repeat(33)}`
    expect(await authenticateApiKey(db.core, unknown)).toBeNull()
    await db.core.db
      .updateTable('api_keys')
      .set({ key_hash: sha256Hex(unknown) })
      .where('id', '=', keyId)
      .execute()
    expect(await authenticateApiKey(db.core, unknown)).toMatchObject({ keyId })
  })
})

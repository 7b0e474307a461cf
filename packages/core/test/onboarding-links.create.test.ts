import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { links, type Tenant } from '../src/index'
import {
  createTestDatabase,
  createTestTenant,
  type TestDatabase,
  testCreationRules,
} from '../src/testing/index'

const rules = testCreationRules()

describe('creating links together (group commit)', () => {
  let db: TestDatabase
  let tenant: Tenant
  beforeEach(async () => {
    db = await createTestDatabase()
    tenant = await createTestTenant(db.core, { name: 'Acme' })
  })
  afterEach(async () => {
    await db.close()
  })

  const stored = async () =>
    (
      await db.core.db
        .selectFrom('onboarding_links')
        .select('id')
        .where('organization_id', '=', tenant.organizationId)
        .execute()
    ).map((row) => row.id)

  it('records every one of many concurrent creates, each answered with its own row', async () => {
    const created = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        links.createOnboardingLink(db.core, rules, tenant, { name: `Link ${i}` }),
      ),
    )
    expect(new Set(created.map((link) => link.id)).size).toBe(120)
    expect(created.map((link) => link.name)).toEqual(
      Array.from({ length: 120 }, (_, i) => `Link ${i}`),
    )
    expect((await stored()).sort()).toEqual(created.map((link) => link.id).sort())
    const page = await links.listOnboardingLinks(db.core, tenant, { page: 1, limit: 1 })
    expect(page.pagination.total).toBe(120)
  })

  it('fails only the create that cannot be written, not the others sharing its commit', async () => {
    const orphan = { organizationId: 'no-such-organization', mode: 'test' as const }
    const results = await Promise.allSettled([
      links.createOnboardingLink(db.core, rules, tenant, { name: 'First' }),
      links.createOnboardingLink(db.core, rules, orphan, { name: 'Orphan' }),
      links.createOnboardingLink(db.core, rules, tenant, { name: 'Last' }),
    ])
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    const ids = results.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value.id] : [],
    )
    expect((await stored()).sort()).toEqual(ids.sort())
  })
})

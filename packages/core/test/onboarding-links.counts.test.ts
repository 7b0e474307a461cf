import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createOrganization, links, type Tenant } from '../src/index'
import { createTestDatabase, type TestDatabase, testCreationRules } from '../src/testing/index'

const rules = testCreationRules()

describe('the link list total (a trigger-kept count)', () => {
  let db: TestDatabase
  let acmeTest: Tenant
  let acmeLive: Tenant
  let globexTest: Tenant
  beforeEach(async () => {
    db = await createTestDatabase()
    const acme = await createOrganization(db.core, { name: 'Acme' })
    const globex = await createOrganization(db.core, { name: 'Globex' })
    acmeTest = { organizationId: acme.organization.id, mode: 'test' }
    acmeLive = { organizationId: acme.organization.id, mode: 'live' }
    globexTest = { organizationId: globex.organization.id, mode: 'test' }
  })
  afterEach(async () => {
    await db.close()
  })

  const totalOf = async (tenant: Tenant) =>
    (await links.listOnboardingLinks(db.core, tenant, { page: 1, limit: 1 })).pagination.total

  const countedOf = async (tenant: Tenant) =>
    Number(
      (
        await db.core.db
          .selectFrom('onboarding_links')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('organization_id', '=', tenant.organizationId)
          .where('mode', '=', tenant.mode)
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('is 0 for a tenant without links', async () => {
    expect(await totalOf(acmeTest)).toBe(0)
  })

  it('equals count(*) per organisation and mode through creates and deletes', async () => {
    const created: string[] = []
    for (let i = 0; i < 5; i++) {
      created.push(
        (await links.createOnboardingLink(db.core, rules, acmeTest, { name: `a${i}` })).id,
      )
    }
    await links.createOnboardingLink(db.core, rules, acmeLive, { name: 'live' })
    await links.createOnboardingLink(db.core, rules, globexTest, { name: 'g' })
    await links.deleteOnboardingLink(db.core, acmeTest, created[0] as string)
    await links.deleteOnboardingLink(db.core, acmeTest, created[3] as string)

    for (const [tenant, expected] of [
      [acmeTest, 3],
      [acmeLive, 1],
      [globexTest, 1],
    ] as const) {
      expect(await totalOf(tenant)).toBe(expected)
      expect(await totalOf(tenant)).toBe(await countedOf(tenant))
    }
    const page = await links.listOnboardingLinks(db.core, acmeTest, { page: 2, limit: 2 })
    expect(page.data).toHaveLength(1)
    expect(page.pagination).toEqual({ page: 2, limit: 2, total: 3, hasMore: false })
  })

  it('stays exact when a delete is refused or a transaction rolls back', async () => {
    const link = await links.createOnboardingLink(db.core, rules, acmeTest, { name: 'kept' })
    await expect(links.deleteOnboardingLink(db.core, acmeLive, link.id)).rejects.toThrow()
    await expect(
      db.core.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('onboarding_links').where('id', '=', link.id).execute()
        throw new Error('roll back')
      }),
    ).rejects.toThrow('roll back')
    expect(await totalOf(acmeTest)).toBe(1)
    expect(await countedOf(acmeTest)).toBe(1)
  })
})

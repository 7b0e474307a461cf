import type { Mode } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { createOrganization } from '../organizations/index'

/** A new organisation, as the tenant a test's core calls are scoped to (test mode unless told). */
export async function createTestTenant(
  core: CoreContext,
  options: { name?: string; mode?: Mode } = {},
): Promise<Tenant> {
  const created = await createOrganization(core, { name: options.name ?? 'Test organisation' })
  return { organizationId: created.organization.id, mode: options.mode ?? 'test' }
}

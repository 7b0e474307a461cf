import { organizationsStore } from '@onboard/db'
import type { CoreContext } from '../context'
import { newUuid } from '../ids'
import { createApiKey } from './api-keys'

export interface CreatedOrganization {
  organization: { id: string; name: string; createdAt: string }
  keys: { test: string; live: string }
}

/** A new organisation starts with one test and one live key, shown to the caller once. */
export async function createOrganization(
  ctx: CoreContext,
  input: { name: string },
): Promise<CreatedOrganization> {
  const name = input.name.trim()
  if (name.length === 0 || name.length > 255) {
    throw new Error('The organisation name must be 1-255 characters')
  }
  const organization = { id: newUuid(), name, created_at: ctx.now().toISOString() }
  await organizationsStore.insertOrganization(ctx.db, organization)
  const test = await createApiKey(ctx, organization.id, 'test')
  const live = await createApiKey(ctx, organization.id, 'live')
  return {
    organization: { id: organization.id, name, createdAt: organization.created_at },
    keys: { test: test.key, live: live.key },
  }
}

export async function countOrganizations(ctx: CoreContext): Promise<number> {
  return organizationsStore.countOrganizations(ctx.db)
}

import { accountsStore, endpointsStore, type OutgoingWebhookRow } from '@onboard/db'
import { generateWebhookSecret } from '@onboard/webhooks'
import type { CoreContext, Tenant } from '../context'
import { errors } from '../errors'
import { newPrefixedId } from '../ids'
import { encryptSecret } from '../secrets'
import { findOwnedRow, listOwnedRows } from '../shared/owned'
import type { Pagination, PaginationQuery } from '../shared/pagination'
import type {
  CreateOutgoingWebhookInput,
  OutgoingWebhook,
  UpdateOutgoingWebhookInput,
} from './schemas'
import { toOutgoingWebhook } from './serialize'
import { assertWebhookTargetAllowed, type WebhookTargetPolicy } from './url-policy'

/** The endpoint row if it belongs to this organisation and mode; otherwise a 404. */
export async function findOutgoingWebhookRow(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<OutgoingWebhookRow> {
  return findOwnedRow(ctx.db, 'outgoing_webhooks', tenant, id, 'outgoing webhook')
}

export async function createOutgoingWebhook(
  ctx: CoreContext,
  targets: WebhookTargetPolicy,
  tenant: Tenant,
  input: CreateOutgoingWebhookInput,
): Promise<OutgoingWebhook> {
  assertWebhookTargetAllowed(targets, input.url, 'url')
  const now = ctx.now()
  await requireOwnedWaba(ctx, tenant, input.wabaId)
  const secret = input.secret ?? generateWebhookSecret()
  const row: OutgoingWebhookRow = {
    id: newPrefixedId('we'),
    organization_id: tenant.organizationId,
    mode: tenant.mode,
    url: input.url,
    description: input.description ?? null,
    secret_enc: encryptSecret(ctx.keyring, secret),
    previous_secret_enc: null,
    previous_secret_expires_at: null,
    events: JSON.stringify(input.events),
    waba_id: input.wabaId ?? null,
    onboarding_link_id: null,
    enabled: 1,
    disabled_reason: null,
    disabled_message: null,
    disabled_at: null,
    failing_since: null,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  }
  await endpointsStore.insertEndpoint(ctx.db, row)
  // The secret is shown in this response (and after a rotation) only.
  return { ...toOutgoingWebhook(row, now), secret }
}

export async function getOutgoingWebhook(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<OutgoingWebhook> {
  return toOutgoingWebhook(await findOutgoingWebhookRow(ctx, tenant, id), ctx.now())
}

export async function listOutgoingWebhooks(
  ctx: CoreContext,
  tenant: Tenant,
  query: PaginationQuery,
): Promise<{ data: OutgoingWebhook[]; pagination: Pagination }> {
  const { rows, pagination } = await listOwnedRows(ctx.db, 'outgoing_webhooks', tenant, query)
  const now = ctx.now()
  return { data: rows.map((row) => toOutgoingWebhook(row, now)), pagination }
}

export async function updateOutgoingWebhook(
  ctx: CoreContext,
  targets: WebhookTargetPolicy,
  tenant: Tenant,
  id: string,
  input: UpdateOutgoingWebhookInput,
): Promise<OutgoingWebhook> {
  const row = await findOutgoingWebhookRow(ctx, tenant, id)
  if (input.url !== undefined) assertWebhookTargetAllowed(targets, input.url, 'url')
  const now = ctx.now().toISOString()
  const changes: Partial<OutgoingWebhookRow> = { updated_at: now }
  if (input.url !== undefined) changes.url = input.url
  if (input.events !== undefined) changes.events = JSON.stringify(input.events)
  if (input.description !== undefined) changes.description = input.description
  if (input.enabled === true && row.enabled === 0) {
    Object.assign(changes, {
      enabled: 1,
      disabled_reason: null,
      disabled_message: null,
      disabled_at: null,
      failing_since: null,
    })
  }
  if (input.enabled === false && row.enabled === 1) {
    Object.assign(changes, {
      enabled: 0,
      disabled_reason: 'manual',
      disabled_message: 'Disabled through the API.',
      disabled_at: now,
    })
  }
  await endpointsStore.updateEndpoint(ctx.db, id, changes)
  return toOutgoingWebhook({ ...row, ...changes }, ctx.now())
}

/** Deletes the endpoint with its deliveries and attempts; queued jobs then find nothing to do. */
export async function deleteOutgoingWebhook(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<void> {
  await findOutgoingWebhookRow(ctx, tenant, id)
  await endpointsStore.deleteEndpoint(ctx.db, id)
}

/** A scope must name one of this organisation's WABAs in this mode, or nothing would match. */
async function requireOwnedWaba(ctx: CoreContext, tenant: Tenant, wabaId: string | undefined) {
  if (wabaId === undefined) return
  const waba = await accountsStore.findOwnedWaba(ctx.db, tenant, wabaId)
  if (!waba) {
    throw errors.validation([
      { field: 'wabaId', message: 'is not a WABA of this organisation in this mode' },
    ])
  }
}

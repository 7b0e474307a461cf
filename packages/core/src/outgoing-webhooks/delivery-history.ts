import { endpointsStore, type WebhookAttemptRow, type WebhookDeliveryRow } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { AppError, errors } from '../errors'
import { pageOf } from '../shared/owned'
import { type Pagination, paginationOf } from '../shared/pagination'
import { findOutgoingWebhookRow } from './endpoints'
import type { Delivery, ListDeliveriesQuery } from './schemas'
import { toDelivery } from './serialize'

/** An endpoint's deliveries, newest first, each with its attempts (two queries, not N+1). */
export async function listDeliveries(
  ctx: CoreContext,
  tenant: Tenant,
  endpointId: string,
  query: ListDeliveriesQuery,
): Promise<{ data: Delivery[]; pagination: Pagination }> {
  await findOutgoingWebhookRow(ctx, tenant, endpointId)
  const { rows, total } = await endpointsStore.pageDeliveries(
    ctx.db,
    tenant,
    endpointId,
    pageOf(query),
    {
      status: query.status,
      eventType: query.eventType,
    },
  )
  const attempts = await attemptsOf(
    ctx,
    rows.map((row) => row.id),
  )
  return {
    data: rows.map((row) => toDelivery(row, attempts.get(row.id) ?? [])),
    pagination: paginationOf(query, total),
  }
}

export async function getDelivery(
  ctx: CoreContext,
  tenant: Tenant,
  endpointId: string,
  deliveryId: string,
): Promise<Delivery> {
  const row = await findDeliveryRow(ctx, tenant, endpointId, deliveryId)
  const attempts = await attemptsOf(ctx, [row.id])
  return toDelivery(row, attempts.get(row.id) ?? [])
}

export interface RetryRequested {
  delivery: Delivery
  /** How it went to `ctx.queue`: `now` (a waiting retry runs at once) or `add` (a new job). */
  enqueue: 'now' | 'add'
}

/**
 * A person's retry. A delivered or failed delivery is replayed: one manual attempt with the
 * same `webhook-id`, whose outcome is final (a failed replay is not retried on the
 * schedule, as in Svix). A pending delivery is attempted now instead of at its next slot,
 * and stays on its schedule.
 */
export async function retryDelivery(
  ctx: CoreContext,
  tenant: Tenant,
  endpointId: string,
  deliveryId: string,
): Promise<RetryRequested> {
  const endpoint = await findOutgoingWebhookRow(ctx, tenant, endpointId)
  if (endpoint.enabled === 0) {
    throw new AppError(
      'endpoint_disabled',
      409,
      'This outgoing webhook is disabled; enable it (PATCH {"enabled": true}) before retrying.',
    )
  }
  const row = await findDeliveryRow(ctx, tenant, endpointId, deliveryId)
  const now = ctx.now().toISOString()
  const changes =
    row.status === 'pending'
      ? { next_attempt_at: now, updated_at: now }
      : { status: 'pending' as const, manual_retry: 1, next_attempt_at: now, updated_at: now }
  await endpointsStore.updateDelivery(ctx.db, row.id, changes)
  // A pending delivery may have a job waiting out a retry delay: that job runs now. A finished
  // one has no job left (finished jobs are removed), so a new one is added.
  if (row.status === 'pending') await ctx.queue.deliveryNow(row.id)
  else await ctx.queue.deliveries([row.id])
  const attempts = await attemptsOf(ctx, [row.id])
  return {
    delivery: toDelivery({ ...row, ...changes }, attempts.get(row.id) ?? []),
    enqueue: row.status === 'pending' ? 'now' : 'add',
  }
}

async function findDeliveryRow(
  ctx: CoreContext,
  tenant: Tenant,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDeliveryRow> {
  const row = await endpointsStore.findOwnedDelivery(ctx.db, tenant, endpointId, deliveryId)
  if (!row) throw errors.notFound('delivery')
  return row
}

async function attemptsOf(
  ctx: CoreContext,
  deliveryIds: string[],
): Promise<Map<string, WebhookAttemptRow[]>> {
  const byDelivery = new Map<string, WebhookAttemptRow[]>()
  const rows = await endpointsStore.attemptsOf(ctx.db, deliveryIds)
  for (const row of rows) {
    const list = byDelivery.get(row.delivery_id) ?? []
    list.push(row)
    byDelivery.set(row.delivery_id, list)
  }
  return byDelivery
}

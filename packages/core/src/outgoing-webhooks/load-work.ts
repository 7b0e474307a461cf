import { endpointsStore } from '@onboard/db'
import type { CoreContext } from '../context'
import { decryptEndpointSecret } from './secret-cache'

/** Everything one attempt needs, read in one query when the job runs. */
export interface DeliveryWork {
  deliveryId: string
  endpointId: string
  status: 'pending' | 'delivered' | 'failed'
  /** Attempts made so far. */
  attempts: number
  /** A person's replay: one attempt, not on the schedule. */
  manual: boolean
  /** When the attempt is due; a job that runs early (a duplicate) waits until then. */
  nextAttemptAt: string | null
  url: string
  endpointEnabled: boolean
  endpointDisabledMessage: string | null
  failingSince: string | null
  /** The current secret, then the previous one while its grace period lasts. */
  secrets: string[]
  /** The exact body to sign and send. */
  payload: string
}

/**
 * The delivery, its endpoint and its event for each id, in one query for the lot (the
 * worker reads the jobs that start together at once); `null` for an id with no delivery.
 */
export async function loadDeliveryWorks(
  ctx: CoreContext,
  deliveryIds: readonly string[],
): Promise<(DeliveryWork | null)[]> {
  if (deliveryIds.length === 0) return []
  const rows = await endpointsStore.deliveryWorkRows(ctx.db, deliveryIds)
  const now = ctx.now().toISOString()
  const byId = new Map<string, DeliveryWork>()
  for (const row of rows) {
    const secrets = [decryptEndpointSecret(ctx.keyring, row.secret_enc)]
    if (
      row.previous_secret_enc !== null &&
      row.previous_secret_expires_at !== null &&
      row.previous_secret_expires_at > now
    ) {
      secrets.push(decryptEndpointSecret(ctx.keyring, row.previous_secret_enc))
    }
    byId.set(row.id, {
      deliveryId: row.id,
      endpointId: row.endpoint_id,
      status: row.status,
      attempts: row.attempts,
      manual: row.manual_retry === 1,
      nextAttemptAt: row.next_attempt_at,
      url: row.url,
      endpointEnabled: row.enabled === 1,
      endpointDisabledMessage: row.disabled_message,
      failingSince: row.failing_since,
      secrets,
      payload: row.payload,
    })
  }
  return deliveryIds.map((id) => byId.get(id) ?? null)
}

export async function loadDeliveryWork(
  ctx: CoreContext,
  deliveryId: string,
): Promise<DeliveryWork | null> {
  const [work] = await loadDeliveryWorks(ctx, [deliveryId])
  return work ?? null
}

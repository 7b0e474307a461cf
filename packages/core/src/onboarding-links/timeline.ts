import { linkActivityStore } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { parseJson } from '../shared/json'
import { LINK_LIFECYCLE_EVENT_TYPES } from './lifecycle-events'
import { findOnboardingLinkRow, serializeLinks } from './read'
import type { OnboardingLink } from './schemas'

/** Meta's answer as the page saw it (the WA_EMBEDDED_SIGNUP message). */
interface MetaResult {
  event: string
  step?: string
  errorCode?: string
  errorMessage?: string
}

export type TimelineEntry =
  | { kind: 'created'; at: string }
  | { kind: 'opened'; at: string }
  | { kind: 'connect_pressed'; at: string }
  | { kind: 'meta_result'; at: string; result: MetaResult }
  | {
      kind: 'attempt'
      at: string
      outcome: 'completed' | 'cancelled' | 'failed'
      step: string | null
      errorCode: string | null
      errorMessage: string | null
    }
  | { kind: 'completed'; at: string }
  | {
      kind: 'delivery'
      at: string
      deliveryId: string
      eventType: string
      endpointId: string
      endpointUrl: string
      status: string
      attempts: number
      lastError: string | null
      deliveredAt: string | null
    }

/** The order of entries recorded in the same millisecond: the order they happen in. */
const ORDER: Record<TimelineEntry['kind'], number> = {
  created: 0,
  opened: 1,
  connect_pressed: 2,
  meta_result: 3,
  attempt: 4,
  completed: 5,
  delivery: 6,
}

/**
 * A link of the tenant (404 otherwise) and what happened to it, oldest first: created, what
 * its hosted page reported (opened, Connect pressed, Meta's answer), each completion attempt
 * (finished, cancelled at a step, or failed with Meta's code and message), completed, and the
 * webhook deliveries its lifecycle events and its `phone_number.connected` caused.
 */
export async function getLinkTimeline(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<{ link: OnboardingLink; timeline: TimelineEntry[] }> {
  const row = await findOnboardingLinkRow(ctx, tenant, id)
  const [[link], history, deliveries] = await Promise.all([
    serializeLinks(ctx, [row]),
    linkActivityStore.historyOfLink(ctx.db, tenant, id),
    linkActivityStore.deliveriesOfLink(ctx.db, tenant, {
      id,
      wabaId: row.waba_id,
      lifecycleTypes: LINK_LIFECYCLE_EVENT_TYPES,
    }),
  ])
  if (!link) throw new Error('a serialised link went missing')
  const entries: TimelineEntry[] = [{ kind: 'created', at: row.created_at }]
  for (const activity of history.activity) {
    if (activity.kind === 'meta_result') {
      const result = parseJson<MetaResult>(activity.detail)
      if (result) entries.push({ kind: 'meta_result', at: activity.created_at, result })
    } else entries.push({ kind: activity.kind, at: activity.created_at })
  }
  for (const attempt of history.attempts) {
    entries.push({
      kind: 'attempt',
      at: attempt.created_at,
      outcome: attempt.outcome,
      step: attempt.step,
      errorCode: attempt.error_code,
      errorMessage: attempt.error_message,
    })
  }
  if (row.completed_at) entries.push({ kind: 'completed', at: row.completed_at })
  for (const delivery of deliveries) {
    entries.push({
      kind: 'delivery',
      at: delivery.created_at,
      deliveryId: delivery.id,
      eventType: delivery.event_type,
      endpointId: delivery.endpoint_id,
      endpointUrl: delivery.endpoint_url,
      status: delivery.status,
      attempts: Number(delivery.attempts),
      lastError: delivery.last_error,
      deliveredAt: delivery.delivered_at,
    })
  }
  entries.sort((a, b) => (a.at === b.at ? ORDER[a.kind] - ORDER[b.kind] : a.at < b.at ? -1 : 1))
  return { link, timeline: entries }
}

export const FUNNEL_DAYS = 30

/** The Links page's funnel: links created in the last 30 days and how far they got. */
export function getLinkFunnel(ctx: CoreContext, tenant: Tenant) {
  const since = new Date(ctx.now().getTime() - FUNNEL_DAYS * 86_400_000).toISOString()
  return linkActivityStore.funnelSince(ctx.db, tenant, since)
}

import { type Db, endpointsStore, eventsStore } from '@onboard/db'
import type { EventEnvelope, EventType } from '@onboard/webhooks'
import type { Tenant } from '../context'
import { newSortableId } from '../ids'

export interface RecordEventInput {
  tenant: Tenant
  type: EventType
  data: Record<string, unknown>
  /** Our wabas.id when the event concerns one WABA: endpoints scoped to another skip it. */
  wabaId?: string | null
  /**
   * The onboarding link the event is about, when it is one of its lifecycle events: a link's
   * own endpoint that awaits its WABA hears only its link's events.
   */
  onboardingLinkId?: string | null
  now?: Date
}

export interface RecordedEvent {
  eventId: string
  /** One per matching enabled endpoint; enqueue them after the transaction commits. */
  deliveryIds: string[]
}

/**
 * The outbox write: the event and one pending delivery per enabled endpoint that subscribes
 * to its type (and whose WABA scope, if any, is this event's WABA; a link's endpoint that
 * has no WABA yet only when the event is about its link). Call it inside the
 * transaction that makes the change, so the change and its webhooks commit together; it
 * touches only the database, never the network.
 */
export async function recordEvent(trx: Db, input: RecordEventInput): Promise<RecordedEvent> {
  const wabaId = input.wabaId ?? null
  const now = input.now ?? new Date()
  const eventId = await insertEvent(trx, { ...input, wabaId, now })
  const endpoints = await endpointsStore.enabledEndpoints(trx, input.tenant)
  const matching = endpoints.filter(
    (endpoint) =>
      (endpoint.waba_id === null || endpoint.waba_id === wabaId) &&
      (endpoint.waba_id !== null ||
        endpoint.onboarding_link_id === null ||
        endpoint.onboarding_link_id === input.onboardingLinkId) &&
      (JSON.parse(endpoint.events) as string[]).includes(input.type),
  )
  const deliveryIds = await insertDeliveries(trx, {
    tenant: input.tenant,
    eventId,
    type: input.type,
    endpointIds: matching.map((endpoint) => endpoint.id),
    now,
  })
  return { eventId, deliveryIds }
}

/** One event as written: whose, what, about which WABA, and when. */
interface EventToInsert {
  tenant: Tenant
  type: string
  data: Record<string, unknown>
  wabaId: string | null
  now: Date
}

/** Writes one event and a pending delivery to each of `endpointIds` (possibly none). */
export async function insertEventWithDeliveries(
  trx: Db,
  input: EventToInsert & { endpointIds: readonly string[] },
): Promise<RecordedEvent> {
  const eventId = await insertEvent(trx, input)
  const deliveryIds = await insertDeliveries(trx, { ...input, eventId })
  return { eventId, deliveryIds }
}

async function insertEvent(trx: Db, input: EventToInsert): Promise<string> {
  const at = input.now.toISOString()
  const envelope: EventEnvelope = {
    event: input.type,
    timestamp: at,
    organizationId: input.tenant.organizationId,
    data: input.data,
  }
  const eventId = newSortableId('evt')
  await eventsStore.insertEvent(trx, {
    id: eventId,
    organization_id: input.tenant.organizationId,
    mode: input.tenant.mode,
    type: input.type,
    waba_id: input.wabaId,
    payload: JSON.stringify(envelope),
    created_at: at,
  })
  return eventId
}

async function insertDeliveries(
  trx: Db,
  input: {
    tenant: Tenant
    eventId: string
    type: string
    endpointIds: readonly string[]
    now: Date
  },
): Promise<string[]> {
  const at = input.now.toISOString()
  const deliveries = input.endpointIds.map((endpointId) => ({
    id: newSortableId('msg'),
    event_id: input.eventId,
    endpoint_id: endpointId,
    organization_id: input.tenant.organizationId,
    mode: input.tenant.mode,
    event_type: input.type,
    status: 'pending' as const,
    attempts: 0,
    next_attempt_at: at,
    manual_retry: 0,
    last_error: null,
    delivered_at: null,
    created_at: at,
    updated_at: at,
  }))
  await eventsStore.insertDeliveries(trx, deliveries)
  return deliveries.map((delivery) => delivery.id)
}

import type { Db, OnboardingLinkRow } from '@onboard/db'
import type { EventType } from '@onboard/webhooks'
import type { CoreContext } from '../context'
import { recordEvent } from '../events/record'
import { ensureAwaitingLinkEndpoint } from '../outgoing-webhooks/from-link'
import { parseJson } from '../shared/json'

/**
 * onboarding_link.failed events one link can raise between its creation (or renewal) and
 * its end: the hosted page's reports and callbacks come from anyone holding the URL, so a
 * page failing in a loop stops emitting here instead of flooding the customer's endpoints.
 */
export const MAX_FAILED_EVENTS_PER_LINK = 10

/** The events about a link before it connects a number (the timeline shows their deliveries). */
export const LINK_LIFECYCLE_EVENT_TYPES: readonly EventType[] = [
  'onboarding_link.opened',
  'onboarding_link.failed',
  'onboarding_link.expired',
]

type LifecycleEvent =
  | { type: 'onboarding_link.opened'; openedAt: string }
  | {
      type: 'onboarding_link.failed'
      /** `meta`: Meta's flow reported an ERROR to the page; `completion`: our callback failed. */
      source: 'meta' | 'completion'
      error: { code: string | null; message: string | null }
      step: string | null
    }
  | { type: 'onboarding_link.expired'; expiresAt: string }

/**
 * Records one of a link's lifecycle events in the outbox, inside the caller's transaction:
 * to the organisation's endpoints that subscribe to it (those scoped to a WABA never match,
 * a link has none yet) and to the link's own `webhookUrl` when its `webhookEvents` lists
 * it, registering that endpoint on first use. The payload names the link as
 * phone_number.connected does (`onboardingLinkId`, `externalId`) and adds its status.
 * Returns the deliveries, to hand to `ctx.queue` once committed.
 */
export async function recordLinkLifecycleEvent(
  trx: Db,
  ctx: CoreContext,
  link: OnboardingLinkRow,
  event: LifecycleEvent,
): Promise<string[]> {
  const { type, ...details } = event
  const now = ctx.now()
  if (subscribes(link, type)) {
    await ensureAwaitingLinkEndpoint(trx, { link, keyring: ctx.keyring, now })
  }
  const recorded = await recordEvent(trx, {
    tenant: { organizationId: link.organization_id, mode: link.mode },
    type,
    onboardingLinkId: link.id,
    now,
    data: {
      onboardingLinkId: link.id,
      externalId: link.external_id,
      status: type === 'onboarding_link.expired' ? 'expired' : 'pending',
      ...details,
    },
  })
  return recorded.deliveryIds
}

function subscribes(link: OnboardingLinkRow, type: EventType): boolean {
  return (parseJson<string[]>(link.webhook_events) ?? []).includes(type)
}

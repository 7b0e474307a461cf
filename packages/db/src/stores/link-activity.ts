import type { Selectable } from 'kysely'
import type { Db } from '../create-db'
import type { LinkActivityRow, SignupAttemptsTable } from '../schema'
import type { Scope } from './scope'

/**
 * Stores a reported step under its (link, dedupe_key): one statement, so concurrent reports
 * cannot exceed a link's keys. An existing row is kept (`replace: false`, false returned) or
 * takes the new report's detail and time (`replace: true`).
 */
export async function recordActivity(
  db: Db,
  row: LinkActivityRow,
  options: { replace: boolean },
): Promise<boolean> {
  const result = await db
    .insertInto('link_activity')
    .values(row)
    .onConflict((oc) => {
      const target = oc.columns(['onboarding_link_id', 'dedupe_key'])
      return options.replace
        ? target.doUpdateSet({ detail: row.detail, created_at: row.created_at })
        : target.doNothing()
    })
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
}

export async function countActivityOfLink(db: Db, linkId: string): Promise<number> {
  const row = await db
    .selectFrom('link_activity')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('onboarding_link_id', '=', linkId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A link's reported steps and its completion attempts, oldest first. */
export async function historyOfLink(
  db: Db,
  scope: Scope,
  linkId: string,
): Promise<{ activity: LinkActivityRow[]; attempts: Selectable<SignupAttemptsTable>[] }> {
  const [activity, attempts] = await Promise.all([
    db
      .selectFrom('link_activity')
      .selectAll()
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('onboarding_link_id', '=', linkId)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(500)
      .execute(),
    db
      .selectFrom('signup_attempts')
      .selectAll()
      .where('organization_id', '=', scope.organizationId)
      .where('mode', '=', scope.mode)
      .where('onboarding_link_id', '=', linkId)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(500)
      .execute(),
  ])
  return { activity, attempts }
}

export interface LinkDelivery {
  id: string
  event_type: string
  status: string
  attempts: number
  last_error: string | null
  delivered_at: string | null
  created_at: string
  endpoint_id: string
  endpoint_url: string
}

/**
 * The webhook deliveries of the events a link caused: its lifecycle events (no WABA, one of
 * `lifecycleTypes`) and its `phone_number.connected` (the WABA it connected), each found
 * by the link's id in the event's payload.
 */
export function deliveriesOfLink(
  db: Db,
  scope: Scope,
  link: { id: string; wabaId: string | null; lifecycleTypes: readonly string[] },
): Promise<LinkDelivery[]> {
  return (
    db
      .selectFrom('events')
      .innerJoin('webhook_deliveries', 'webhook_deliveries.event_id', 'events.id')
      .innerJoin('outgoing_webhooks', 'outgoing_webhooks.id', 'webhook_deliveries.endpoint_id')
      .select([
        'webhook_deliveries.id',
        'webhook_deliveries.event_type',
        'webhook_deliveries.status',
        'webhook_deliveries.attempts',
        'webhook_deliveries.last_error',
        'webhook_deliveries.delivered_at',
        'webhook_deliveries.created_at',
        'webhook_deliveries.endpoint_id',
        'outgoing_webhooks.url as endpoint_url',
      ])
      .where('events.organization_id', '=', scope.organizationId)
      .where('events.mode', '=', scope.mode)
      .where((eb) =>
        eb.or([
          eb.and([eb('events.waba_id', 'is', null), eb('events.type', 'in', link.lifecycleTypes)]),
          ...(link.wabaId === null ? [] : [eb('events.waba_id', '=', link.wabaId)]),
        ]),
      )
      // A UUID holds no LIKE wildcard; the key is written exactly so by JSON.stringify.
      .where('events.payload', 'like', `%"onboardingLinkId":"${link.id}"%`)
      .orderBy('webhook_deliveries.created_at', 'asc')
      .orderBy('webhook_deliveries.id', 'asc')
      .limit(100)
      .execute()
  )
}

export interface FunnelCounts {
  created: number
  opened: number
  connectPressed: number
  completed: number
}

/**
 * Of the scope's links created since `since`: how many there are, how many were opened in a
 * browser, had Connect pressed, and are completed. One cohort, so each step is a subset of
 * the one before (a link counts once however often it was opened).
 */
export async function funnelSince(db: Db, scope: Scope, since: string): Promise<FunnelCounts> {
  const links = db
    .selectFrom('onboarding_links')
    .where('organization_id', '=', scope.organizationId)
    .where('mode', '=', scope.mode)
    .where('created_at', '>=', since)
  const [totals, steps] = await Promise.all([
    links
      .select((eb) => [
        eb.fn.countAll<number>().as('created'),
        eb.fn
          .count<number>(eb.case().when('status', '=', 'completed').then(1).end())
          .as('completed'),
      ])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('link_activity')
      .innerJoin('onboarding_links', 'onboarding_links.id', 'link_activity.onboarding_link_id')
      .select((eb) => [
        'link_activity.kind',
        eb.fn.count<number>('link_activity.onboarding_link_id').distinct().as('links'),
      ])
      .where('link_activity.organization_id', '=', scope.organizationId)
      .where('link_activity.mode', '=', scope.mode)
      .where('onboarding_links.created_at', '>=', since)
      .where('link_activity.kind', 'in', ['opened', 'connect_pressed'])
      .groupBy('link_activity.kind')
      .execute(),
  ])
  const step = (kind: string) => Number(steps.find((s) => s.kind === kind)?.links ?? 0)
  return {
    created: Number(totals.created),
    opened: step('opened'),
    connectPressed: step('connect_pressed'),
    completed: Number(totals.completed),
  }
}

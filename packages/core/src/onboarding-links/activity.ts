import { type Db, linkActivityStore, linksStore, type OnboardingLinkRow } from '@onboard/db'
import { z } from 'zod'
import type { CoreContext } from '../context'
import { AppError, errors } from '../errors'
import { newSortableId } from '../ids'
import { verifySignupNonceWithAny } from '../signup-nonce'
import { recordFinishOfLink } from './finish'
import { MAX_FAILED_EVENTS_PER_LINK, recordLinkLifecycleEvent } from './lifecycle-events'

/** One page render may retry Connect a few times; more than this is not a person. */
const MAX_ATTEMPT = 50
/**
 * Presses of Connect (and Meta's answers) kept per link: the latest report for each of the
 * first few presses of a page, a later press sharing the last slot. Anyone holding the URL
 * can render the page and report, so a link holds one "opened" and these few of each other
 * kind, however many pages report, and a later report replaces an earlier one of its slot
 * rather than being refused.
 */
const ATTEMPT_SLOTS = 3
/** The most rows a link's activity can hold: enforced by the unique (link, dedupe_key). */
export const MAX_ACTIVITY_PER_LINK = 1 + 2 * ATTEMPT_SLOTS

/** What Meta's WA_EMBEDDED_SIGNUP message may say in `event`. */
const META_EVENTS = [
  'FINISH',
  'FINISH_ONLY_WABA',
  'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING',
  'CANCEL',
  'ERROR',
] as const

/** Meta's WA_EMBEDDED_SIGNUP events that mean the end-user finished and a WABA exists. */
const FINISH_EVENTS: ReadonlySet<string> = new Set([
  'FINISH',
  'FINISH_ONLY_WABA',
  'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING',
])

const metaId = z.string().regex(/^\d{1,32}$/, 'must be a Meta id (digits only)')

/** What the hosted page reports, as it happens. Everything is bounded: it comes from a browser. */
export const linkActivitySchema = z.strictObject({
  nonce: z.string().min(1).max(200),
  kind: z.enum(['opened', 'connect_pressed', 'meta_result']),
  /** Which press of Connect in this render (0 for "opened"). */
  attempt: z.number().int().min(0).max(MAX_ATTEMPT),
  /** Meta's WA_EMBEDDED_SIGNUP message, for `meta_result`. */
  result: z
    .strictObject({
      event: z.enum(META_EVENTS),
      step: z.string().max(64).optional(),
      errorCode: z.string().max(64).optional(),
      errorMessage: z.string().max(500).optional(),
      /** The ids a FINISH message carried: kept on the link as its FINISH (see recordLinkActivity). */
      wabaId: metaId.optional(),
      phoneNumberId: metaId.optional(),
      businessId: metaId.optional(),
    })
    .optional(),
})

export type LinkActivityInput = z.infer<typeof linkActivitySchema>

/**
 * Records a step the hosted page reported for link `id`, while the link is pending (a
 * completed or expired link's page is over: 409). The page's nonce (an HMAC over the link id,
 * made when it was rendered) is the only credential: a report for another link, or without a
 * page, is refused. The first "opened" is kept; a press or Meta's answer replaces the one
 * before it in its slot (see ATTEMPT_SLOTS), so a link's rows stay few.
 *
 * A FINISH names the WABA, phone and business Meta just gave the page: they are kept on the
 * link at once (the latest FINISH wins, as the callback's does), so a sign-up whose tab closes
 * before the callback can still complete when Meta's PARTNER_APP_INSTALLED for that WABA
 * arrives (signup-completion/unattended.ts). It stays what a browser said: Meta's install
 * record decides whether it is ever used.
 */
export async function recordLinkActivity(
  ctx: CoreContext,
  id: string,
  input: LinkActivityInput,
): Promise<{ recorded: boolean }> {
  const now = ctx.now()
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw errors.notFound('onboarding link')
  if (!verifySignupNonceWithAny(ctx.keyring.signupNonceKeys, id, input.nonce, now)) {
    throw new AppError('invalid_nonce', 403, 'This page is out of date. Reload it.')
  }
  const link = await linksStore.findLink(ctx.db, id)
  if (!link) throw errors.notFound('onboarding link')
  if (input.kind === 'meta_result' && !input.result) {
    throw errors.validation([{ field: 'result', message: 'is required for meta_result' }])
  }
  if (input.kind !== 'meta_result' && input.result) {
    throw errors.validation([{ field: 'result', message: 'is only for meta_result' }])
  }
  if (link.status !== 'pending' || link.expires_at <= now.toISOString()) {
    throw new AppError('link_not_pending', 409, 'This link is no longer waiting for a signup.')
  }
  const { wabaId, phoneNumberId, businessId, ...shown } = input.result ?? {}
  if (input.result && wabaId && FINISH_EVENTS.has(input.result.event)) {
    await recordFinishOfLink(ctx, link.id, {
      metaWabaId: wabaId,
      metaPhoneNumberId: phoneNumberId ?? null,
      metaBusinessId: businessId ?? null,
      event: input.result.event,
    })
  }
  const slot = Math.min(Math.max(input.attempt, 1), ATTEMPT_SLOTS)
  const { recorded, deliveryIds } = await ctx.db.transaction().execute(async (trx) => {
    const recorded = await linkActivityStore.recordActivity(
      trx,
      {
        id: newSortableId('lac', now.getTime()),
        organization_id: link.organization_id,
        mode: link.mode,
        onboarding_link_id: link.id,
        kind: input.kind,
        // The timeline shows what Meta answered; the ids are the link's FINISH, not its history.
        detail: input.result ? JSON.stringify(shown) : null,
        dedupe_key: input.kind === 'opened' ? 'opened' : `${input.kind}:${slot}`,
        created_at: now.toISOString(),
      },
      { replace: input.kind !== 'opened' },
    )
    return { recorded, deliveryIds: recorded ? await lifecycleEventOf(trx, ctx, link, input) : [] }
  })
  // Committed: the lifecycle event goes to the worker now (the relay covers a lost hand-off).
  await ctx.queue.deliveries(deliveryIds)
  return { recorded }
}

/**
 * The lifecycle event a kept report raises, in its transaction: `opened` when the link's
 * first "opened" row was just inserted (a later one inserts nothing, so it is raised once);
 * `failed` when Meta's flow reported an ERROR, while the link has failed-event slots left.
 * A CANCEL is the end-user's choice, not a failure: it raises nothing.
 */
async function lifecycleEventOf(
  trx: Db,
  ctx: CoreContext,
  link: OnboardingLinkRow,
  input: LinkActivityInput,
): Promise<string[]> {
  if (input.kind === 'opened') {
    return recordLinkLifecycleEvent(trx, ctx, link, {
      type: 'onboarding_link.opened',
      openedAt: ctx.now().toISOString(),
    })
  }
  if (input.kind !== 'meta_result' || input.result?.event !== 'ERROR') return []
  if (!(await linksStore.takeFailedEventSlot(trx, link.id, { max: MAX_FAILED_EVENTS_PER_LINK }))) {
    return []
  }
  return recordLinkLifecycleEvent(trx, ctx, link, {
    type: 'onboarding_link.failed',
    source: 'meta',
    error: {
      code: input.result.errorCode ?? null,
      message: input.result.errorMessage ?? null,
    },
    step: input.result.step ?? null,
  })
}

/**
 * The fourth front door: a link completed with nobody on its page. The page records the ids
 * of Meta's FINISH message as soon as it receives it (`onboarding-links/activity.ts`); when
 * the tab closes before the callback, or the callback's code exchange fails, Meta's
 * PARTNER_APP_INSTALLED for that WABA completes the link through the system-user token,
 * exactly as a manual completion reads it, and persists it like the page's callback.
 *
 * Both halves are needed: the FINISH says which link (a browser said it), the install says
 * Meta really installed our app on that WABA during the link's life. The worker drives it:
 * after a receipt with installs (`completeLinksForInstalls`) and on a sweeper tick
 * (`completeAwaitingLinks`), which also covers the FINISH arriving after the install and a
 * worker that crashed in between.
 */
import {
  accountsStore,
  linksStore,
  type Mode,
  metaReceiptsStore,
  type OnboardingLinkRow,
  sessionsStore,
} from '@onboard/db'
import type { CoreContext } from '../context'
import { isAppError } from '../errors'
import type { MetaApps } from '../meta-apps'
import { claimInstall } from '../meta-webhooks/installs'
import { unattendedLinkTarget } from '../onboarding-links/signup-target'
import type { SignupTarget } from '../signup-target'
import { signupErrors } from './errors'
import { gatherFactsWithSystemUser } from './graph-steps'
import { persistConnection } from './persist'
import { COEXISTENCE_EVENT } from './schemas'

/**
 * How long after the page recorded a FINISH its own callback may still be completing: the
 * code lives ~30 s and the callback's Graph steps take seconds more. Until then the link is
 * left to the page, so the two never both register the number (each with its own PIN).
 */
export const PAGE_CALLBACK_GRACE_MS = 2 * 60_000

/**
 * How long one completion may hold the WABA's install before another try may take it: far
 * longer than its Graph calls (each bounded by the client's timeout), so only a completion
 * whose process died loses it.
 */
const LEASE_MS = 10 * 60_000

/**
 * How far apart Meta's install and the page's FINISH may be: both happen as the end-user
 * finishes Meta's flow (the install as they grant access, the FINISH as the window closes),
 * whatever the delay of the webhook's delivery, since the install's time is Meta's event
 * time. A FINISH naming a WABA installed long before or after it is not this sign-up's: to
 * use another's install, a page would have to name that WABA within minutes of its creation.
 */
export const INSTALL_NEAR_FINISH_MS = 10 * 60_000

/** After a failure that may pass (Meta unavailable, a timeout), when to try the link again. */
const RETRY_AFTER_MS = 10 * 60_000

/** Links one call looks at, so a tick stays short. */
const BATCH = 20

export interface UnattendedCompletion {
  linkId: string
  /** `completed`; `skipped`: the evidence does not hold (or a racing completion won); `failed`: Graph or the write failed, the next tick tries again. */
  outcome: 'completed' | 'skipped' | 'failed'
  reason: string | null
  deliveryIds: string[]
}

/** After a receipt: the links waiting for these WABAs' installs, in that mode. */
export function completeLinksForInstalls(
  ctx: CoreContext,
  metaApps: MetaApps,
  input: { mode: Mode; metaWabaIds: string[] },
): Promise<UnattendedCompletion[]> {
  return completeAll(ctx, metaApps, { modes: [input.mode], metaWabaIds: input.metaWabaIds })
}

/** The sweeper's tick: every link whose FINISH and install are both on record. */
export function completeAwaitingLinks(
  ctx: CoreContext,
  metaApps: MetaApps,
): Promise<UnattendedCompletion[]> {
  return completeAll(ctx, metaApps, { modes: ['test', 'live'] })
}

async function completeAll(
  ctx: CoreContext,
  metaApps: MetaApps,
  narrow: { modes: Mode[]; metaWabaIds?: string[] },
): Promise<UnattendedCompletion[]> {
  const now = ctx.now()
  const links = await linksStore.linksAwaitingInstall(ctx.db, {
    metaWabaIds: narrow.metaWabaIds,
    // A mode without a system-user token completes nothing: its links are not even read.
    modes: narrow.modes.filter((mode) => metaApps.forMode(mode)?.systemUserToken),
    now: now.toISOString(),
    finishedBefore: new Date(now.getTime() - PAGE_CALLBACK_GRACE_MS).toISOString(),
    staleBefore: new Date(now.getTime() - LEASE_MS).toISOString(),
    installNearFinishSeconds: INSTALL_NEAR_FINISH_MS / 1000,
    limit: BATCH,
  })
  const completions: UnattendedCompletion[] = []
  // One after another: each is a few Graph calls and one short write transaction.
  for (const link of links) completions.push(await completeLink(ctx, metaApps, link))
  return completions
}

/**
 * One link: the evidence checked again (the query is a pre-filter), the WABA read and
 * connected with the system-user token, then the page's own persist, which marks the link
 * completed only while it is pending, so of this and a racing callback exactly one commits.
 */
async function completeLink(
  ctx: CoreContext,
  metaApps: MetaApps,
  link: OnboardingLinkRow,
): Promise<UnattendedCompletion> {
  const result = (outcome: UnattendedCompletion['outcome'], reason: string | null) => ({
    linkId: link.id,
    outcome,
    reason,
    deliveryIds: [],
  })
  const metaWabaId = link.finish_meta_waba_id
  if (!metaWabaId) return result('skipped', 'no FINISH recorded')
  const refusal = await refusalOf(ctx, link, metaWabaId)
  if (refusal) return result('skipped', refusal)
  const app = metaApps.forMode(link.mode)
  if (!app?.systemUserToken) return result('skipped', 'no system-user token for this mode')

  // Before any Graph call: of two completers (the receipt's hand-off and a sweeper tick, or
  // two workers) only the one holding the install goes on, so the number is registered once.
  const now = ctx.now()
  const lease = { mode: link.mode, metaWabaId, claimant: link.id }
  const leased = await metaReceiptsStore.leaseInstall(ctx.db, {
    ...lease,
    at: now.toISOString(),
    staleBefore: new Date(now.getTime() - LEASE_MS).toISOString(),
  })
  if (!leased) return result('skipped', 'another completion holds the install')

  const base = unattendedLinkTarget(ctx, link)
  const target: SignupTarget = {
    ...base,
    // In the completion's transaction: an install another sign-up claimed meanwhile stops it.
    beforeEvent: async (trx, ids) => {
      await base.beforeEvent?.(trx, ids)
      const claim = { mode: link.mode, metaWabaId, claimant: link.id, now: ids.now }
      if (!(await claimInstall(trx, claim))) throw new InstallTaken()
    },
  }
  try {
    const facts = await gatherFactsWithSystemUser(app, app.systemUserToken, {
      metaWabaId,
      claimedPhoneId: link.finish_meta_phone_number_id,
      // As the page's callback would: a coexistence FINISH on a link that allows it is a
      // number on the WhatsApp Business app, which must not be registered.
      isCoexistence: link.allow_coexistence === 1 && link.finish_event === COEXISTENCE_EVENT,
      preVerifiedPhoneIds: base.preVerifiedPhoneIds,
    })
    const connection = await persistConnection(ctx, target, facts, null)
    return { ...result('completed', null), deliveryIds: connection.deliveryIds }
  } catch (error) {
    const completedByPage = isAppError(error) && error.code === base.alreadyCompleted().code
    // Not committed: the next try may take the install again; unless the page's callback
    // completed this very link, whose install it is now.
    if (!completedByPage) await metaReceiptsStore.releaseInstall(ctx.db, lease)
    if (error instanceof InstallTaken) return result('skipped', 'the install was claimed meanwhile')
    // The page's callback won the race, the link was deleted, or the WABA connected elsewhere.
    const settled = [
      base.alreadyCompleted().code,
      base.notFound().code,
      signupErrors.wabaAlreadyConnected().code,
    ]
    if (isAppError(error) && settled.includes(error.code)) return result('skipped', error.message)
    await linksStore.setUnattendedRetry(ctx.db, link.id, retryAfterFailure(link, error, ctx.now()))
    return result('failed', error instanceof Error ? error.message : String(error))
  }
}

/**
 * When a failed try may run again: a refusal that cannot change (the WABA has no such phone,
 * Meta refused the token's request) waits until the link expires, so it costs no more Graph
 * calls; anything else (Meta unavailable, a timeout, a write that failed) in RETRY_AFTER_MS.
 */
function retryAfterFailure(link: OnboardingLinkRow, error: unknown, now: Date): string {
  const lasting =
    isAppError(error) && error.status >= 400 && error.status < 500 && error.status !== 429
  return lasting ? link.expires_at : new Date(now.getTime() + RETRY_AFTER_MS).toISOString()
}

/** Thrown inside the completion's transaction to roll it back. */
class InstallTaken extends Error {}

/**
 * Why this link's FINISH and Meta's install do not make a completion, or null when they do.
 * The same rules as a manual completion (sessions/manual-evidence.ts), with both halves
 * required: a FINISH is only what a browser said, so Meta's record decides.
 */
async function refusalOf(
  ctx: CoreContext,
  link: OnboardingLinkRow,
  metaWabaId: string,
): Promise<string | null> {
  const now = ctx.now().toISOString()
  if (link.status !== 'pending' || link.expires_at <= now) return 'the link is not pending'
  const install = await metaReceiptsStore.findInstall(ctx.db, link.mode, metaWabaId)
  if (install?.status !== 'installed' || !install.installed_at) return 'no current install'
  // Meta's event times are whole seconds: an install in the link's own second counts.
  const createdSecond = `${link.created_at.slice(0, 19)}.000Z`
  if (install.installed_at < createdSecond || install.installed_at > link.expires_at) {
    return 'the install falls outside the link’s life'
  }
  const finishedAt = Date.parse(link.finish_received_at ?? '')
  if (!(Math.abs(Date.parse(install.installed_at) - finishedAt) <= INSTALL_NEAR_FINISH_MS)) {
    return 'the install is not near the page’s FINISH'
  }
  if (install.claimed_by !== null && install.claimed_by !== link.id) {
    return 'the install is claimed by another sign-up'
  }
  // A WABA we ever held has an id its holders know, so a page could name it at its owner's
  // re-install: only a WABA new to us (whose id only its creator and Meta know within the
  // minutes INSTALL_NEAR_FINISH_MS allows) is completed on a page's word and Meta's install.
  if (await accountsStore.wabaEverHeld(ctx.db, link.mode, metaWabaId)) {
    return 'the WABA was held before (completed only by its page’s callback)'
  }
  // Two sign-ups whose pages both named this WABA: which one Meta finished is not ours to guess.
  const [otherLink, otherSession] = await Promise.all([
    linksStore.otherPendingLinkWithFinishWaba(ctx.db, {
      mode: link.mode,
      metaWabaId,
      exceptId: link.id,
      now,
    }),
    sessionsStore.otherOpenSessionWithFinishWaba(ctx.db, {
      mode: link.mode,
      metaWabaId,
      exceptId: link.id,
    }),
  ])
  if (otherLink || otherSession) return 'another sign-up recorded a FINISH for this WABA'
  return null
}

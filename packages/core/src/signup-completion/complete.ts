/**
 * How a signup completes. Start here: this file tells the whole journey in order, for every
 * front door, and the files it calls each hold one step.
 *
 * 1. The target. What the signup completes is read through one port, `SignupTarget`
 *    (`../signup-target.ts`): an onboarding link (`../onboarding-links/signup-target.ts`), an
 *    embedded-signup session (`../sessions/signup-target.ts`), or nothing of ours (the popup
 *    flow, `popupFlowTarget` below). Links and sessions implement it; they never import this
 *    folder.
 * 2. The Graph steps (`graph-steps.ts`): every call to Meta happens first, outside any
 *    transaction: exchange the code (or, for a manual completion, read with the system-user
 *    token), check the WABA and phone the browser claimed, subscribe our app, register the
 *    number. The result is `SignupFacts`.
 * 3. Persist (`persist.ts`): one short transaction writes the WABA and phones, marks the
 *    target completed, claims the install and records `phone_number.connected` in the outbox
 *    (`../events/record.ts`); after commit the deliveries go to the queue.
 *
 * The front doors, each a few lines over those steps:
 * - `handleSignupCallback`: the hosted page's callback (`POST /signup/:id/callback`) for a
 *   link or a session; the page itself is `page.ts`, and its nonce `nonce.ts`.
 * - `completeBusinessProfile`: the popup flow's callback, the customer's own page.
 * - `completeSessionFromWaba`: a session completed by its operator from a WABA id.
 * - `unattended.ts`: a link whose page saw Meta's FINISH but never called back, completed
 *   when Meta's PARTNER_APP_INSTALLED for that WABA is on record (driven by the worker).
 */
import { accountsStore, type Mode } from '@onboard/db'
import { getBusinessProfileOfWaba } from '../business-profiles/read'
import type { BusinessProfile, BusinessProfileCallbackInput } from '../business-profiles/schemas'
import type { CoreContext, Tenant } from '../context'
import { type AppError, errors, isAppError } from '../errors'
import type { MetaApps } from '../meta-apps'
import { claimInstall } from '../meta-webhooks/installs'
import { findLinkTarget } from '../onboarding-links/signup-target'
import { sessionErrors } from '../sessions/errors'
import { evidenceFor } from '../sessions/manual-evidence'
import { findSessionRow, getSession } from '../sessions/read'
import type { CompleteSessionInput, Session } from '../sessions/schemas'
import { findSessionTarget, manualSessionTarget } from '../sessions/signup-target'
import { effectiveSessionStatus } from '../sessions/status'
import { verifySignupNonceWithAny } from '../signup-nonce'
import type { HostedSignupTarget, SignupAttempt, SignupTarget } from '../signup-target'
import { asPopupFlowError, signupErrors } from './errors'
import { finishFromCallback } from './finish'
import { claimsFromCallback, gatherFactsWithSystemUser, gatherSignupFacts } from './graph-steps'
import { persistConnection } from './persist'
import type { SignupCallbackInput, SignupOutcome } from './schemas'

export interface CompletionDeps {
  metaApps: MetaApps
}

/**
 * The link or session behind a hosted page id, in any organisation (the id is the page's
 * only key). Session ids carry the `wss_` prefix; links are UUIDs.
 */
export async function findHostedTarget(
  ctx: CoreContext,
  id: string,
): Promise<HostedSignupTarget | undefined> {
  return id.startsWith('wss_') ? findSessionTarget(ctx, id) : findLinkTarget(ctx, id)
}

/**
 * A failure the page shows or redirects with (`status=error&error=…`). Refusals that must
 * not redirect (unknown id, bad nonce, already completed) are thrown.
 */
export type CallbackResult =
  | { ok: true; outcome: SignupOutcome; deliveryIds: string[] }
  | { ok: false; error: AppError; redirectUrl: string | null }

/**
 * POST /signup/:id/callback for a link or a session: DESIGN §3 step 4. Every Graph call
 * happens first, then one short transaction (persistConnection).
 */
export async function handleSignupCallback(
  ctx: CoreContext,
  deps: CompletionDeps,
  id: string,
  input: SignupCallbackInput,
): Promise<CallbackResult> {
  const target = await findHostedTarget(ctx, id)
  if (!target) throw errors.notFound(id.startsWith('wss_') ? 'signup session' : 'onboarding link')
  if (!verifySignupNonceWithAny(ctx.keyring.signupNonceKeys, target.id, input.nonce, ctx.now())) {
    throw signupErrors.badNonce()
  }
  if (target.status === 'completed') throw target.alreadyCompleted()
  if (target.status === 'expired') {
    const error = target.expiredError()
    return { ok: false, error, redirectUrl: target.errorRedirect(error) }
  }
  if (target.status !== 'pending') throw target.endedError()
  // Kept before the code is used, so it stays even when the exchange fails: the evidence a
  // manual completion needs that this signup produced the WABA.
  const finish = finishFromCallback(input)
  if (finish) await target.recordFinish(ctx, finish)
  if (!input.code) return withoutCode(ctx, target, input)
  const app = deps.metaApps.forMode(target.mode)
  if (!app) return fail(ctx, target, signupErrors.metaNotConfigured(), input.event)

  try {
    const claims = claimsFromCallback({ ...input, code: input.code }, target.login.allowCoexistence)
    const facts = await gatherSignupFacts(app, claims, target, (metaWabaId) =>
      isWabaConnectedAnywhere(ctx, target.mode, metaWabaId),
    )
    const connection = await persistConnection(ctx, target, facts, input.event)
    return {
      ok: true,
      deliveryIds: connection.deliveryIds,
      outcome: {
        status: 'success',
        redirectUrl: target.successRedirect(),
        error: null,
        phoneNumber: connection.phoneNumber,
        phoneNumberId: connection.phoneId,
        step: null,
      },
    }
  } catch (error) {
    // Completed by a racing callback, or deleted meanwhile: nothing is left to mark failed.
    if (!isAppError(error) || isTerminal(error, target)) throw error
    return fail(ctx, target, error, input.event)
  }
}

function isTerminal(error: AppError, target: HostedSignupTarget): boolean {
  return [target.alreadyCompleted().code, target.notFound().code].includes(error.code)
}

/** The browser came back without a code: the user stopped, or Meta's flow reported an error. */
async function withoutCode(
  ctx: CoreContext,
  target: HostedSignupTarget,
  input: SignupCallbackInput,
): Promise<CallbackResult> {
  const event = input.event
  if (event?.data.error_message) {
    return fail(ctx, target, signupErrors.signupFailed(event.data.error_message), event)
  }
  if (event && event.event !== 'CANCEL') return fail(ctx, target, signupErrors.missingCode(), event)
  const step = event?.data.current_step ?? null
  const error = {
    code: 'signup_cancelled',
    message: 'The signup was cancelled before it finished.',
  }
  await target.recordUnsuccessful(ctx, attemptOf('cancelled', event, error), error)
  return {
    ok: true,
    deliveryIds: [],
    outcome: {
      status: 'cancelled',
      redirectUrl: target.errorRedirect(error),
      error,
      phoneNumber: null,
      phoneNumberId: null,
      step,
    },
  }
}

/** A failed try: recorded on the target, and shown or redirected with. */
async function fail(
  ctx: CoreContext,
  target: HostedSignupTarget,
  error: AppError,
  event: SignupCallbackInput['event'],
): Promise<CallbackResult> {
  // A racing callback may have completed it meanwhile: say so rather than "error".
  const current = await findHostedTarget(ctx, target.id)
  if (current?.status === 'completed') throw target.alreadyCompleted()
  const recorded = { code: event?.data.error_code ?? error.code, message: error.message }
  await target.recordUnsuccessful(ctx, attemptOf('failed', event, recorded), error)
  return { ok: false, error, redirectUrl: target.errorRedirect(error) }
}

function attemptOf(
  outcome: 'cancelled' | 'failed',
  event: SignupCallbackInput['event'],
  error: { code: string; message: string },
): SignupAttempt {
  return {
    outcome,
    event: event?.event ?? null,
    step: event?.data.current_step ?? null,
    errorCode: error.code,
    errorMessage: error.message,
    metaSessionId: event?.data.session_id ?? null,
  }
}

/** The popup flow completes no link or session of ours: there is nothing to mark. */
function popupFlowTarget(tenant: Tenant): SignupTarget {
  return {
    id: null,
    tenant,
    metadata: null,
    externalId: null,
    onboardingLinkId: null,
    preVerifiedPhoneIds: [],
    eventFields: {},
    markCompleted: async () => 'marked',
    alreadyCompleted: signupErrors.wabaAlreadyConnected,
    notFound: signupErrors.wabaAlreadyConnected,
  }
}

/**
 * POST /v1/organization/whatsapp/business-profiles/callback: the customer ran FB.login on its
 * own page and posts the code. The same steps as links and sessions, without a target of ours.
 */
export async function completeBusinessProfile(
  ctx: CoreContext,
  metaApps: MetaApps,
  tenant: Tenant,
  input: BusinessProfileCallbackInput,
): Promise<{ profile: BusinessProfile; deliveryIds: string[] }> {
  const app = metaApps.forMode(tenant.mode)
  if (!app) throw signupErrors.metaNotConfigured()
  const target = popupFlowTarget(tenant)
  try {
    const claims = {
      code: input.code,
      redirectUri: input.redirectUri,
      wabaId: input.wabaId,
      phoneNumberId: input.phoneNumberId,
      businessId: input.businessId,
      isCoexistence: input.isCoexistence === true,
    }
    const facts = await gatherSignupFacts(app, claims, target, (metaWabaId) =>
      isWabaConnectedAnywhere(ctx, tenant.mode, metaWabaId),
    )
    const connection = await persistConnection(ctx, target, facts, null)
    return {
      profile: await getBusinessProfileOfWaba(ctx, tenant, connection.wabaId),
      deliveryIds: connection.deliveryIds,
    }
  } catch (error) {
    throw asPopupFlowError(error)
  }
}

/**
 * POST …/sessions/:id/complete `{wabaId}`: the end-user finished Embedded Signup on Meta's
 * side but the redirect never came back. Accepts only a WABA this session's signup produced
 * (`evidenceFor`), reads it with the system-user token, subscribes our app and registers
 * the number like the page does, and persists the same way.
 */
export async function completeSessionFromWaba(
  ctx: CoreContext,
  metaApps: MetaApps,
  tenant: Tenant,
  id: string,
  input: CompleteSessionInput,
): Promise<{ session: Session; deliveryIds: string[] }> {
  const session = await findSessionRow(ctx, tenant, id)
  const status = effectiveSessionStatus(session, ctx.now())
  if (status === 'completed') throw sessionErrors.alreadyCompleted()
  if (status === 'cancelled') throw sessionErrors.cancelled()
  const app = metaApps.forMode(tenant.mode)
  if (!app) throw signupErrors.metaNotConfigured()
  if (!app.systemUserToken) throw sessionErrors.systemUserTokenMissing()
  const evidence = await evidenceFor(ctx, session, input.wabaId)
  if (await isWabaConnectedAnywhere(ctx, tenant.mode, input.wabaId)) {
    throw signupErrors.wabaAlreadyConnected()
  }

  const facts = await gatherFactsWithSystemUser(app, app.systemUserToken, {
    metaWabaId: input.wabaId,
    claimedPhoneId: evidence.metaPhoneNumberId,
  })
  const base = manualSessionTarget(session)
  const target: SignupTarget = !evidence.claimsInstall
    ? base
    : {
        ...base,
        // In the completion's transaction, so two sessions racing for one install cannot both win.
        beforeEvent: async (trx, ids) => {
          const claim = { mode: tenant.mode, metaWabaId: input.wabaId, claimant: session.id }
          if (!(await claimInstall(trx, { ...claim, now: ids.now }))) {
            throw sessionErrors.installAlreadyClaimed()
          }
        },
      }
  const connection = await persistConnection(ctx, target, facts, null)
  return { session: await getSession(ctx, tenant, id), deliveryIds: connection.deliveryIds }
}

/** One owner per Meta WABA and mode: connected to any organisation means taken. */
async function isWabaConnectedAnywhere(
  ctx: CoreContext,
  mode: Mode,
  metaWabaId: string,
): Promise<boolean> {
  return (await accountsStore.connectedWaba(ctx.db, mode, metaWabaId)) !== undefined
}

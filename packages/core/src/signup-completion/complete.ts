import { accountsStore, type Mode } from '@onboard/db'
import type { CoreContext } from '../context'
import { type AppError, errors, isAppError } from '../errors'
import type { MetaApps } from '../meta-apps'
import type { SignupTarget } from '../signup-target'
import { signupErrors } from './errors'
import { finishFromCallback } from './finish'
import { claimsFromCallback, gatherSignupFacts } from './graph-steps'
import { verifySignupNonceWithAny } from './nonce'
import { persistConnection } from './persist'
import type { SignupCallbackInput, SignupOutcome } from './schemas'
import { findSignupTarget } from './targets'

export interface CompletionDeps {
  metaApps: MetaApps
}

/**
 * A failure the page shows or redirects with (`status=error&error=…`). Refusals that must
 * not redirect (unknown id, bad nonce, already completed) are thrown.
 */
export type CallbackResult =
  | { ok: true; outcome: SignupOutcome; deliveryIds: string[] }
  | { ok: false; error: AppError; redirectUrl: string | null }

async function fail(
  ctx: CoreContext,
  target: SignupTarget,
  error: AppError,
  event: SignupCallbackInput['event'],
): Promise<CallbackResult> {
  // A racing callback may have completed it meanwhile: say so rather than "error".
  const current = await findSignupTarget(ctx, target.id)
  if (current?.status === 'completed') throw target.alreadyCompletedError()
  await target.recordUnsuccessful(
    ctx,
    {
      outcome: 'failed',
      event: event?.event ?? null,
      step: event?.data.current_step ?? null,
      errorCode: event?.data.error_code ?? error.code,
      errorMessage: error.message,
      metaSessionId: event?.data.session_id ?? null,
    },
    error,
  )
  return { ok: false, error, redirectUrl: target.errorRedirect(error) }
}

/** The browser came back without a code: the user stopped, or Meta's flow reported an error. */
async function withoutCode(
  ctx: CoreContext,
  target: SignupTarget,
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
  await target.recordUnsuccessful(
    ctx,
    {
      outcome: 'cancelled',
      event: event?.event ?? null,
      step,
      errorCode: error.code,
      errorMessage: error.message,
      metaSessionId: event?.data.session_id ?? null,
    },
    error,
  )
  return {
    ok: true,
    deliveryIds: [],
    outcome: {
      status: 'cancelled',
      redirectUrl: target.errorRedirect(error),
      error,
      phoneNumber: null,
      step,
    },
  }
}

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
  const target = await findSignupTarget(ctx, id)
  if (!target) throw errors.notFound(id.startsWith('wss_') ? 'signup session' : 'onboarding link')
  if (!verifySignupNonceWithAny(ctx.keyring.signupNonceKeys, target.id, input.nonce, ctx.now())) {
    throw signupErrors.badNonce()
  }
  if (target.status === 'completed') throw target.alreadyCompletedError()
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
    const facts = await gatherSignupFacts(app, claims, target.subject, (metaWabaId) =>
      isWabaConnectedAnywhere(ctx, target.mode, metaWabaId),
    )
    const connection = await persistConnection(ctx, target.subject, facts, input.event)
    return {
      ok: true,
      deliveryIds: connection.deliveryIds,
      outcome: {
        status: 'success',
        redirectUrl: target.successRedirect(),
        error: null,
        phoneNumber: connection.phoneNumber,
        step: null,
      },
    }
  } catch (error) {
    // Completed by a racing callback, or deleted meanwhile: nothing is left to mark failed.
    if (!isAppError(error) || isTerminal(error, target)) throw error
    return fail(ctx, target, error, input.event)
  }
}

function isTerminal(error: AppError, target: SignupTarget): boolean {
  const codes = [target.alreadyCompletedError().code, target.subject.notFound().code]
  return codes.includes(error.code)
}

/** One owner per Meta WABA and mode: connected to any organisation means taken. */
export async function isWabaConnectedAnywhere(
  ctx: CoreContext,
  mode: Mode,
  metaWabaId: string,
): Promise<boolean> {
  return (await accountsStore.connectedWabaId(ctx.db, mode, metaWabaId)) !== undefined
}

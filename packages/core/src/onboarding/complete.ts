import type { OnboardingLinkRow } from '@onboard/db'
import type { CoreContext } from '../context'
import { type AppError, errors, isAppError } from '../errors'
import { effectiveStatus } from '../onboarding-links/serialize'
import { signupErrors } from './errors'
import { gatherSignupFacts } from './graph-steps'
import type { MetaApps } from './meta-clients'
import { verifySignupNonce } from './nonce'
import { persistConnection } from './persist'
import { recordUnsuccessfulAttempt } from './record'
import { errorRedirect, successRedirect } from './redirects'
import type { SignupCallbackInput, SignupOutcome } from './schemas'

export interface CompletionDeps {
  metaApps: MetaApps
}

/**
 * A failure the page shows or redirects with (`status=error&error=…`); the link stays pending.
 * Refusals that must not redirect (unknown link, bad nonce, already completed) are thrown.
 */
export type CallbackResult =
  | { ok: true; outcome: SignupOutcome; deliveryIds: string[] }
  | { ok: false; error: AppError; redirectUrl: string | null }

/** The link behind a hosted page, in any organisation: the page id is the only key it has. */
export async function findLinkForPage(
  ctx: CoreContext,
  id: string,
): Promise<OnboardingLinkRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  return ctx.db.selectFrom('onboarding_links').selectAll().where('id', '=', id).executeTakeFirst()
}

async function fail(
  ctx: CoreContext,
  link: OnboardingLinkRow,
  error: AppError,
  event: SignupCallbackInput['event'],
): Promise<CallbackResult> {
  // A racing callback may have completed the link meanwhile: say so rather than "error".
  const current = await findLinkForPage(ctx, link.id)
  if (current?.status === 'completed') throw signupErrors.linkCompleted()
  await recordUnsuccessfulAttempt(ctx, link, {
    outcome: 'failed',
    event: event?.event ?? null,
    step: event?.data.current_step ?? null,
    errorCode: event?.data.error_code ?? error.code,
    errorMessage: error.message,
    metaSessionId: event?.data.session_id ?? null,
  })
  return { ok: false, error, redirectUrl: errorRedirect(link, error) }
}

/** The browser came back without a code: the user stopped, or Meta's flow reported an error. */
async function withoutCode(
  ctx: CoreContext,
  link: OnboardingLinkRow,
  input: SignupCallbackInput,
): Promise<CallbackResult> {
  const event = input.event
  if (event?.data.error_message) {
    return fail(ctx, link, signupErrors.signupFailed(event.data.error_message), event)
  }
  if (event && event.event !== 'CANCEL') return fail(ctx, link, signupErrors.missingCode(), event)
  const step = event?.data.current_step ?? null
  const message = 'The signup was cancelled before it finished.'
  await recordUnsuccessfulAttempt(ctx, link, {
    outcome: 'cancelled',
    event: event?.event ?? null,
    step,
    errorCode: 'signup_cancelled',
    errorMessage: message,
    metaSessionId: event?.data.session_id ?? null,
  })
  const error = { code: 'signup_cancelled', message }
  return {
    ok: true,
    deliveryIds: [],
    outcome: {
      status: 'cancelled',
      redirectUrl: errorRedirect(link, error),
      error,
      phoneNumber: null,
      step,
    },
  }
}

/**
 * POST /signup/:id/callback: DESIGN §3 step 4. Every Graph call happens first, then one
 * short transaction; a failure keeps the link pending so the end-user can try again.
 */
export async function handleSignupCallback(
  ctx: CoreContext,
  deps: CompletionDeps,
  linkId: string,
  input: SignupCallbackInput,
): Promise<CallbackResult> {
  const link = await findLinkForPage(ctx, linkId)
  if (!link) throw errors.notFound('onboarding link')
  if (!verifySignupNonce(ctx.encryptionKey, link.id, input.nonce, ctx.now())) {
    throw signupErrors.badNonce()
  }
  const status = effectiveStatus(link, ctx.now())
  if (status === 'completed') throw signupErrors.linkCompleted()
  if (status === 'expired') {
    const error = signupErrors.linkExpired()
    return { ok: false, error, redirectUrl: errorRedirect(link, error) }
  }
  if (!input.code) return withoutCode(ctx, link, input)
  const app = deps.metaApps.forMode(link.mode)
  if (!app) return fail(ctx, link, signupErrors.metaNotConfigured(), input.event)

  try {
    const facts = await gatherSignupFacts(app, link, { ...input, code: input.code }, (id) =>
      isWabaConnected(ctx, link, id),
    )
    const connection = await persistConnection(ctx, link, facts, input.event)
    return {
      ok: true,
      deliveryIds: connection.deliveryIds,
      outcome: {
        status: 'success',
        redirectUrl: successRedirect(link),
        error: null,
        phoneNumber: connection.phoneNumber,
        step: null,
      },
    }
  } catch (error) {
    if (!isAppError(error) || error.code === 'link_already_completed') throw error
    return fail(ctx, link, error, input.event)
  }
}

async function isWabaConnected(
  ctx: CoreContext,
  link: OnboardingLinkRow,
  metaWabaId: string,
): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('wabas')
    .select('id')
    .where('organization_id', '=', link.organization_id)
    .where('mode', '=', link.mode)
    .where('meta_waba_id', '=', metaWabaId)
    .executeTakeFirst()
  return row !== undefined
}

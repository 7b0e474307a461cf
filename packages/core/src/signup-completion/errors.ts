import { isMetaError } from '@onboard/meta'
import { AppError, isAppError } from '../errors'

/** Completion failures, phrased for the end-user's screen and the `error=` redirect parameter. */
export const signupErrors = {
  codeExpired: () =>
    new AppError(
      'code_expired',
      400,
      'The authorization from Meta expired before we could use it. Please connect again.',
    ),
  metaApi: (what: string) =>
    new AppError('meta_api_error', 502, `Meta could not ${what}. Please try again.`),
  rateLimited: () =>
    new AppError(
      'rate_limited',
      503,
      'Meta is limiting requests right now. Please try again in a few minutes.',
    ),
  wabaNotFound: () =>
    new AppError(
      'waba_not_found',
      422,
      'Meta did not say which WhatsApp Business Account was shared. Please connect again.',
    ),
  wabaNotShared: () =>
    new AppError(
      'waba_not_shared',
      422,
      'That WhatsApp Business Account was not shared with this service. Please connect again.',
    ),
  phoneNotInWaba: () =>
    new AppError(
      'phone_not_in_waba',
      422,
      'That phone number does not belong to the shared WhatsApp Business Account.',
    ),
  noPhoneNumber: () =>
    new AppError(
      'no_phone_number',
      422,
      'The WhatsApp Business Account has no phone number yet. Add one in the Meta window and try again.',
    ),
  wabaAlreadyConnected: () =>
    new AppError(
      'waba_already_connected',
      409,
      'This WhatsApp Business Account is already connected.',
    ),
  badNonce: () =>
    new AppError('invalid_nonce', 403, 'This page is out of date. Reload it and connect again.'),
  missingCode: () =>
    new AppError(
      'missing_code',
      400,
      'Meta did not return an authorization code. Please connect again.',
    ),
  metaNotConfigured: () =>
    new AppError(
      'meta_not_configured',
      503,
      'This service is not configured to connect WhatsApp numbers yet.',
    ),
  signupFailed: (message: string) => new AppError('signup_failed', 422, message),
}

/** A Meta failure as the AppError the end-user sees; anything else is rethrown. */
export function fromMetaError(error: unknown, what: string): AppError {
  if (!isMetaError(error)) throw error
  if (error.code === 'code_expired') return signupErrors.codeExpired()
  if (error.code === 'rate_limited') return signupErrors.rateLimited()
  return signupErrors.metaApi(what)
}

/** Short text of a non-fatal Meta failure, kept on the phone or WABA for health to report. */
export function describeMetaFailure(error: unknown): string {
  if (isMetaError(error)) {
    const code = error.graph?.code ? ` (Meta error ${error.graph.code})` : ''
    return `${error.message}${code}`.slice(0, 500)
  }
  return error instanceof Error ? error.message.slice(0, 500) : 'unknown error'
}

/**
 * The popup flow's errors in the documents' words: the customer's own page posts the code,
 * so an unusable code and Meta's limits are explained to a developer, not an end-user.
 */
export function asPopupFlowError(error: unknown): unknown {
  if (!isAppError(error)) return error
  if (error.code === 'code_expired') {
    return new AppError(
      'code_expired',
      400,
      'The authorization code from Meta has expired or was already used: codes live 30 seconds and work once. Run FB.login again and post the new code straight away.',
    )
  }
  if (error.code === 'rate_limited') return new AppError('meta_api_error', 503, error.message)
  return error
}

import { AppError } from '../errors'
import type { SessionErrorCode } from './schemas'

export const sessionErrors = {
  expired: () =>
    new AppError(
      'session_expired',
      410,
      'This signup session has expired (sessions last 15 minutes). Create a new session.',
    ),
  alreadyCompleted: () =>
    new AppError(
      'session_already_completed',
      409,
      'This signup session has already been used to connect a WhatsApp number; each session works once.',
    ),
  ended: () =>
    new AppError(
      'session_not_pending',
      409,
      'This signup session has ended (cancelled or failed). Create a new session.',
    ),
  cancelled: () =>
    new AppError(
      'session_cancelled',
      409,
      'This signup session was cancelled, so it cannot be completed. Create a new session.',
    ),
  systemUserTokenMissing: () =>
    new AppError(
      'system_user_token_not_configured',
      503,
      'Completing a session from a WABA id needs META_SYSTEM_USER_TOKEN, which is not set on this service.',
    ),
  wabaNotFromThisSignup: () =>
    new AppError(
      'waba_not_from_this_signup',
      422,
      'Nothing shows that this session’s signup produced that WhatsApp Business Account: its hosted page never received it in Meta’s FINISH message, and Meta sent no PARTNER_APP_INSTALLED for it since the session was created. Pass the WABA id the end-user finished with.',
    ),
  installBeforeSession: () =>
    new AppError(
      'waba_installed_before_session',
      422,
      'Meta’s PARTNER_APP_INSTALLED for that WhatsApp Business Account came before this session was created, so it belongs to another signup.',
    ),
  installAfterSession: () =>
    new AppError(
      'waba_installed_after_session',
      422,
      'Meta’s PARTNER_APP_INSTALLED for that WhatsApp Business Account came after this session had expired, so it belongs to a later signup.',
    ),
  finishedInAnotherSignup: () =>
    new AppError(
      'waba_finished_in_another_signup',
      409,
      'Another signup’s hosted page received Meta’s FINISH for that WhatsApp Business Account, so that signup has the stronger claim; this session’s page never received it.',
    ),
  wabaUninstalled: () =>
    new AppError(
      'waba_uninstalled',
      409,
      'Meta says our app was removed from that WhatsApp Business Account after the signup; it has to be signed up again.',
    ),
  installAlreadyClaimed: () =>
    new AppError(
      'waba_install_already_claimed',
      409,
      'Meta’s PARTNER_APP_INSTALLED for that WhatsApp Business Account was already used to complete another session or link.',
    ),
  wabaNotReadable: () =>
    new AppError(
      'waba_not_accessible',
      422,
      'Meta does not let this platform read that WhatsApp Business Account: check the id and that the signup finished on Meta’s side.',
    ),
}

/**
 * Our failure codes mapped onto the five the redirect documents. Everything that is neither
 * Meta's nor the code's nor an already-connected WABA is a general `signup_failed`.
 */
export function documentedErrorCode(code: string): SessionErrorCode {
  switch (code) {
    case 'session_expired':
    case 'waba_already_connected':
    case 'code_expired':
    case 'meta_api_error':
      return code
    case 'rate_limited':
    case 'meta_not_configured':
      return 'meta_api_error'
    default:
      return 'signup_failed'
  }
}

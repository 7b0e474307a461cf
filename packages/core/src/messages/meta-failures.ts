import { accountsStore, type WabaRow } from '@onboard/db'
import { isMetaError } from '@onboard/meta'
import type { CoreContext } from '../context'
import { AppError } from '../errors'

/** Meta's rate limits on sending, with how long to wait before trying again (seconds). */
const RATE_LIMITS: Record<number, { wait: number; message: string }> = {
  130429: {
    wait: 1,
    message: 'The number reached its Cloud API throughput (messages per second) (Meta 130429).',
  },
  131048: {
    wait: 60,
    message:
      'Meta limits how many messages this number may send because of its quality (Meta 131048, spam rate limit).',
  },
  131056: {
    wait: 6,
    message:
      'Too many messages to this recipient in a short time (Meta 131056, pair rate limit); wait before sending to them again.',
  },
  80007: {
    wait: 60,
    message: 'The WhatsApp Business Account reached its Graph rate limit (Meta 80007).',
  },
}

/** Other rate limits (app-level, per-call): Meta gives no wait, so a minute is suggested. */
const DEFAULT_RATE_LIMIT_WAIT = 60
/** Meta down or unreachable: worth a retry soon. */
const UNAVAILABLE_WAIT = 30

/**
 * A failed Graph call made for a customer's request, as the API error it should see. A token
 * Meta calls invalid (190) is also recorded on the WABA: sending stops (409, with the health
 * issue) until a new sign-up stores a new token. Errors that are not Meta's pass through.
 */
export async function metaFailure(
  ctx: CoreContext,
  waba: WabaRow,
  error: unknown,
): Promise<unknown> {
  if (!isMetaError(error)) return error
  const code = error.graph?.code ?? null
  if (code === 131047) {
    return new AppError(
      'outside_customer_service_window',
      409,
      'More than 24 hours have passed since the customer last wrote to this number, so only a template message can be sent to them now (Meta 131047).',
    )
  }
  if (code === 131026) {
    return new AppError(
      'recipient_undeliverable',
      400,
      'Meta cannot deliver to this recipient (Meta 131026): the number may not be on WhatsApp, or its WhatsApp is too old.',
    )
  }
  if (code === 131030) {
    return new AppError(
      'recipient_not_allowed',
      400,
      'The recipient is not in this number’s allowed list (Meta 131030): a test number may only send to the recipients added in the app dashboard.',
    )
  }
  const limit = code === null ? undefined : RATE_LIMITS[code]
  if (limit) {
    return new AppError('rate_limited', 429, limit.message, undefined, {
      retryAfterSeconds: limit.wait,
    })
  }
  if (error.code === 'invalid_token') {
    await accountsStore.markTokenInvalid(ctx.db, waba.id, {
      at: ctx.now().toISOString(),
      error: `Meta error ${code ?? 'unknown'}`,
    })
    return new AppError(
      'business_token_invalid',
      409,
      'Meta rejected this WhatsApp Business Account’s business token (invalid or expired, Meta 190); connect the number again with a new onboarding link.',
    )
  }
  if (error.code === 'rate_limited') {
    return new AppError(
      'rate_limited',
      429,
      `Meta’s rate limit was reached (Meta ${code}).`,
      undefined,
      {
        retryAfterSeconds: DEFAULT_RATE_LIMIT_WAIT,
      },
    )
  }
  if (error.retryable || error.httpStatus === 0 || error.httpStatus >= 500) {
    return new AppError(
      'meta_unavailable',
      503,
      'Meta’s WhatsApp Cloud API is unavailable or did not answer; try again shortly.',
      undefined,
      { retryAfterSeconds: UNAVAILABLE_WAIT },
    )
  }
  if (error.code === 'permission_denied') {
    return new AppError(
      'meta_permission_denied',
      409,
      `Meta refused: our app lacks permission on this WhatsApp Business Account (${error.message}).`,
    )
  }
  return new AppError('meta_rejected', 400, `Meta refused the request: ${error.message}`)
}

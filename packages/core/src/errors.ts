/** A field-level problem, named the way the client sent it (e.g. `webhookEvents[1]`). */
export interface ErrorDetail {
  field: string
  message: string
}

/**
 * The one error type of the service. Core functions throw it; the API turns it into the
 * JSON envelope `{ error: { code, message, details? } }` with `status`, in one place.
 */
export class AppError extends Error {
  /** For 429 and 503: when trying again makes sense, sent as `Retry-After`. */
  readonly retryAfterSeconds?: number
  /** The message this error is about, when one was stored (`messageId` in the envelope). */
  readonly messageId?: string
  /**
   * The request changed something before failing (e.g. a send whose outcome is unknown was
   * stored), so this answer is final for its Idempotency-Key: replayed, never re-run.
   */
  readonly keepsIdempotencyKey: boolean

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: ErrorDetail[],
    options: { retryAfterSeconds?: number; messageId?: string; keepsIdempotencyKey?: boolean } = {},
  ) {
    super(message)
    this.name = 'AppError'
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds
    if (options.messageId !== undefined) this.messageId = options.messageId
    this.keepsIdempotencyKey = options.keepsIdempotencyKey ?? false
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}

export const errors = {
  validation: (details: ErrorDetail[]) =>
    new AppError(
      'validation_error',
      400,
      details.length === 1 && details[0]
        ? `${details[0].field}: ${details[0].message}`
        : `The request has ${details.length} invalid fields.`,
      details,
    ),
  /** A body that parses but is not what JSON text must be (e.g. a lone surrogate in a string). */
  invalidJson: (details: ErrorDetail[]) =>
    new AppError(
      'invalid_json',
      400,
      details[0]
        ? `The request body is not valid JSON text: ${details[0].field}: ${details[0].message}`
        : 'The request body is not valid JSON.',
      details,
    ),
  notFound: (what: string) => new AppError('not_found', 404, `No ${what} with that id exists.`),
  conflict: (code: string, message: string) => new AppError(code, 409, message),
  unauthorized: (message: string) => new AppError('unauthorized', 401, message),
}

/** Our error vocabulary for everything that can go wrong at the Meta boundary. */
export type MetaErrorCode =
  | 'code_expired'
  | 'meta_api_error'
  | 'rate_limited'
  | 'permission_denied'
  | 'invalid_token'

/** The parts of Graph's error JSON worth keeping (never the raw message, it may echo input). */
export interface GraphErrorInfo {
  type: string | null
  code: number | null
  subcode: number | null
  fbtraceId: string | null
}

export interface MetaErrorInit {
  code: MetaErrorCode
  message: string
  /** HTTP status Graph answered with; 0 when no response arrived (timeout, network). */
  httpStatus: number
  graph?: GraphErrorInfo
  retryable: boolean
  /**
   * Meta may have acted on the request although the call failed: no answer came back after
   * it was sent (a timeout, a connection reset), Graph answered 5xx, or it answered 2xx with
   * a body we could not read. A send that failed this way may have been delivered. False when
   * Meta answered with a definite error or the request never left (connection refused).
   */
  ambiguous?: boolean
}

/**
 * A failed Meta call. `message` is safe to log and to show an operator: it never holds
 * access tokens, the app secret or authorization codes.
 */
export class MetaError extends Error {
  readonly code: MetaErrorCode
  readonly httpStatus: number
  readonly graph?: GraphErrorInfo
  readonly retryable: boolean
  readonly ambiguous: boolean

  constructor(init: MetaErrorInit) {
    super(init.message)
    this.name = 'MetaError'
    this.code = init.code
    this.httpStatus = init.httpStatus
    this.retryable = init.retryable
    this.ambiguous = init.ambiguous ?? false
    if (init.graph) this.graph = init.graph
  }
}

export function isMetaError(value: unknown): value is MetaError {
  return value instanceof MetaError
}

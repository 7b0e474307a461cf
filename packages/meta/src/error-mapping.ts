import { z } from 'zod'
import { type GraphErrorInfo, MetaError, type MetaErrorCode } from './errors'
import { redact } from './redact'

const graphErrorBody = z.object({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.coerce.number().optional(),
    error_subcode: z.coerce.number().optional(),
    is_transient: z.boolean().optional(),
    fbtrace_id: z.string().optional(),
  }),
})

const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 613, 80007, 130429, 131048, 131056, 133016])
const PERMISSION_CODES = new Set([3, 10, 131005])
const TOKEN_CODES = new Set([102, 104, 190])
/** Meta's own "try again" codes. */
const TRANSIENT_CODES = new Set([1, 2])
const CODE_USED_OR_EXPIRED_SUBCODES = new Set([36007, 36009])
const REDIRECT_URI_MISMATCH_SUBCODE = 36008

export interface ErrorContext {
  /** Name of the client call, used in messages instead of URLs (URLs can carry secrets). */
  operation: string
  /** Values that must never leak into messages. */
  secrets: readonly string[]
  isCodeExchange: boolean
}

function classify(
  info: GraphErrorInfo,
  isTransient: boolean,
  httpStatus: number,
  ctx: ErrorContext,
): { code: MetaErrorCode; retryable: boolean } {
  const code = info.code ?? -1
  const subcode = info.subcode ?? -1
  if (CODE_USED_OR_EXPIRED_SUBCODES.has(subcode)) return { code: 'code_expired', retryable: false }
  if (ctx.isCodeExchange && code === 100 && subcode !== REDIRECT_URI_MISMATCH_SUBCODE) {
    // Unknown or malformed codes: the end-user has to run Embedded Signup again either way.
    return { code: 'code_expired', retryable: false }
  }
  if (RATE_LIMIT_CODES.has(code)) return { code: 'rate_limited', retryable: true }
  if (TOKEN_CODES.has(code)) return { code: 'invalid_token', retryable: false }
  if (PERMISSION_CODES.has(code) || (code >= 200 && code <= 299)) {
    return { code: 'permission_denied', retryable: false }
  }
  const transient = isTransient || TRANSIENT_CODES.has(code) || httpStatus >= 500
  // A bad client secret comes back as code 1 on the exchange: our configuration, not Meta's hiccup.
  const badAppCredentials = ctx.isCodeExchange && (code === 1 || code === 101)
  return { code: 'meta_api_error', retryable: transient && !badAppCredentials }
}

/** Turns a non-2xx Graph answer into a MetaError; bodies that are not Graph JSON count as transient. */
export function errorFromGraphResponse(
  httpStatus: number,
  bodyText: string,
  ctx: ErrorContext,
): MetaError {
  let json: unknown
  try {
    json = JSON.parse(bodyText)
  } catch {
    json = undefined
  }
  const parsed = graphErrorBody.safeParse(json)
  if (!parsed.success) {
    return new MetaError({
      code: httpStatus === 429 ? 'rate_limited' : 'meta_api_error',
      message: `Meta ${ctx.operation} failed with HTTP ${httpStatus} and a body that is not Graph error JSON`,
      httpStatus,
      retryable: httpStatus >= 500 || httpStatus === 429,
      ambiguous: httpStatus >= 500,
    })
  }
  const e = parsed.data.error
  const graph: GraphErrorInfo = {
    type: e.type ?? null,
    code: e.code ?? null,
    subcode: e.error_subcode ?? null,
    fbtraceId: e.fbtrace_id ?? null,
  }
  const { code, retryable } = classify(graph, e.is_transient === true, httpStatus, ctx)
  const metaMessage = redact(e.message ?? 'no message', ctx.secrets)
  const codes = graph.subcode === null ? `${graph.code}` : `${graph.code}/${graph.subcode}`
  return new MetaError({
    code,
    message: `Meta ${ctx.operation} failed (Graph ${codes}): ${metaMessage}`,
    httpStatus,
    graph,
    retryable,
    // A server error says nothing about whether Meta acted before failing.
    ambiguous: httpStatus >= 500,
  })
}

/**
 * Socket errors raised before the request could have reached Graph: no connection was made,
 * so Meta cannot have acted on it. Every other transport failure (a timeout, a reset, a
 * socket closed mid-answer) may come after Graph received the request.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
])

function causeCode(cause: unknown): string | undefined {
  if (!cause || typeof cause !== 'object') return undefined
  if ('code' in cause && typeof cause.code === 'string') return cause.code
  // undici wraps the socket's error in a TypeError('fetch failed')-style cause chain.
  return 'cause' in cause ? causeCode(cause.cause) : undefined
}

/** Timeouts and socket errors: nothing came back, so trying again may well work. */
export function errorFromTransport(
  cause: unknown,
  timedOut: boolean,
  ctx: ErrorContext,
): MetaError {
  const detail =
    cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string'
      ? cause.code
      : cause instanceof Error
        ? cause.name
        : 'unknown error'
  return new MetaError({
    code: 'meta_api_error',
    message: timedOut
      ? `Meta ${ctx.operation} timed out`
      : `Meta ${ctx.operation} could not reach Graph (${redact(detail, ctx.secrets)})`,
    httpStatus: 0,
    retryable: true,
    ambiguous: timedOut || !NOT_SENT_CODES.has(causeCode(cause) ?? ''),
  })
}

/**
 * A 2xx answer we could not make sense of: retrying will not change its shape, and Meta
 * said it did what was asked, so a write may well have happened.
 */
export function unexpectedResponse(httpStatus: number, ctx: ErrorContext): MetaError {
  return new MetaError({
    code: 'meta_api_error',
    message: `Meta ${ctx.operation} returned a response we could not understand`,
    httpStatus,
    retryable: false,
    ambiguous: true,
  })
}

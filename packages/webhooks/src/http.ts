import { Agent, buildConnector, type Dispatcher, errors as undiciErrors } from 'undici'
import { parseRetryAfter } from './schedule'
import { BlockedTargetError, guardedLookup, isBlockedHost } from './ssrf'

const RESPONSE_EXCERPT_BYTES = 1024
/** A larger body is cut off (and its connection dropped) rather than read to the end. */
const MAX_DRAIN_BYTES = 64 * 1024

export interface WebhookAgentOptions {
  timeoutMs: number
  allowPrivateTargets: boolean
  /** Sockets kept open per origin; one agent serves the whole process. */
  connections?: number
}

/**
 * The one undici Agent a process delivers through: keep-alive, connect timeout, and — unless
 * private targets are allowed — an SSRF guard on the address actually connected to. IP
 * literals skip DNS and localhost names mean loopback, so both are checked before connecting;
 * other names are checked in the lookup.
 */
export function createWebhookAgent(options: WebhookAgentOptions): Agent {
  const base = buildConnector({
    timeout: options.timeoutMs,
    ...(options.allowPrivateTargets ? {} : { lookup: guardedLookup }),
  })
  const connect: buildConnector.connector = (connectOptions, callback) => {
    const host = connectOptions.hostname.replace(/^\[|\]$/g, '')
    if (!options.allowPrivateTargets && isBlockedHost(host)) {
      callback(new BlockedTargetError(host, host), null)
      return
    }
    base(connectOptions, callback)
  }
  return new Agent({
    connect,
    connections: options.connections ?? 64,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  })
}

export interface SendResult {
  /** 2xx: delivered. Redirects are not followed and count as failures. */
  ok: boolean
  httpStatus: number | null
  durationMs: number
  /** The first 1 KB of the response body, as text. */
  responseBody: string | null
  /** Why the attempt failed, for the attempt log; null when delivered. */
  error: string | null
  retryAfterMs: number | null
  /** True for failures that will not change by retrying (an SSRF refusal). */
  permanent: boolean
}

/**
 * One signed POST, bounded by `timeoutMs` from start to the last byte read. Never throws.
 *
 * It talks to undici's dispatcher directly rather than through `request()`: only the
 * status, one header and the first kilobyte of the body are kept, so there is no body
 * stream to build, and one timer replaces an AbortSignal per request (what that saves is
 * measured in docs/performance.md).
 */
export function postWebhook(
  agent: Dispatcher,
  input: { url: string; headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<SendResult> {
  return new Promise<SendResult>((resolve) => {
    const started = performance.now()
    let settled = false
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({ ...result, durationMs: Math.round(performance.now() - started) })
    }
    const failed = (error: unknown) => finish(failedResult(error, input.timeoutMs))
    const response = createResponseHandler((answer) => finish(answeredResult(answer)), failed)
    const timer = setTimeout(
      () => response.abort(new TimeoutError(input.timeoutMs)),
      input.timeoutMs,
    )
    try {
      const target = targetOf(input.url)
      agent.dispatch(
        {
          origin: target.origin,
          path: target.path,
          method: 'POST',
          headers: input.headers,
          body: input.body,
        },
        response.handler,
      )
    } catch (error) {
      failed(error)
    }
  })
}

/** What an endpoint answered: its status, its Retry-After, and the start of its body. */
interface Answer {
  status: number
  retryAfter: string | undefined
  excerpt: Buffer[]
  kept: number
}

/**
 * The dispatch handler of one POST: keeps what `Answer` holds, stops reading a body past
 * `MAX_DRAIN_BYTES`, and can be aborted at any time — an abort that comes before the
 * request reached a connection takes effect as soon as it does (the connect itself is
 * bounded by the agent's connect timeout).
 */
function createResponseHandler(
  onAnswer: (answer: Answer) => void,
  onError: (error: unknown) => void,
): { handler: Dispatcher.DispatchHandler; abort: (reason: Error) => void } {
  let controller: Dispatcher.DispatchController | null = null
  let abortOnStart: Error | null = null
  const answer: Answer = { status: 0, retryAfter: undefined, excerpt: [], kept: 0 }
  let seen = 0
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(current) {
      controller = current
      if (abortOnStart) current.abort(abortOnStart)
    },
    onResponseStart(_current, statusCode, headers) {
      answer.status = statusCode
      const value = headers['retry-after']
      answer.retryAfter = Array.isArray(value) ? value[0] : value
    },
    onResponseData(current, chunk) {
      seen += chunk.length
      if (answer.kept < RESPONSE_EXCERPT_BYTES) {
        const part = chunk.subarray(0, RESPONSE_EXCERPT_BYTES - answer.kept)
        answer.excerpt.push(part)
        answer.kept += part.length
      }
      // A larger body is not read to the end: the answer is known; the connection is dropped.
      if (seen > MAX_DRAIN_BYTES) {
        onAnswer(answer)
        current.abort(new Error('response body too large: connection dropped'))
      }
    },
    onResponseEnd() {
      onAnswer(answer)
    },
    onResponseError(_current, error) {
      onError(error)
    },
  }
  const abort = (reason: Error) => {
    if (controller) controller.abort(reason)
    else abortOnStart = reason
  }
  return { handler, abort }
}

function answeredResult(answer: Answer): Omit<SendResult, 'durationMs'> {
  const ok = answer.status >= 200 && answer.status < 300
  return {
    ok,
    httpStatus: answer.status,
    responseBody: answer.kept === 0 ? null : Buffer.concat(answer.excerpt).toString('utf8'),
    error: ok ? null : statusError(answer.status),
    retryAfterMs: parseRetryAfter(answer.retryAfter, new Date()),
    permanent: false,
  }
}

function failedResult(error: unknown, timeoutMs: number): Omit<SendResult, 'durationMs'> {
  return {
    ok: false,
    httpStatus: null,
    responseBody: null,
    error: describeError(error, timeoutMs),
    retryAfterMs: null,
    permanent: findBlocked(error) !== null,
  }
}

/** The whole request ran out of time (named as AbortSignal.timeout's error is). */
class TimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`)
    this.name = 'TimeoutError'
  }
}

/** Origin and path of each endpoint URL, parsed once (a few endpoints take most deliveries). */
const targets = new Map<string, { origin: string; path: string }>()

function targetOf(url: string): { origin: string; path: string } {
  let target = targets.get(url)
  if (!target) {
    const parsed = new URL(url)
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` }
    if (targets.size >= 1000) targets.clear()
    targets.set(url, target)
  }
  return target
}

function statusError(status: number): string {
  if (status >= 300 && status < 400) return `HTTP ${status}: redirects are not followed`
  return `HTTP ${status}`
}

function findBlocked(error: unknown): BlockedTargetError | null {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof BlockedTargetError) return current
    current = (current as { cause?: unknown }).cause
  }
  return null
}

function describeError(error: unknown, timeoutMs: number): string {
  const blocked = findBlocked(error)
  if (blocked) return `blocked: ${blocked.message}`
  if (error instanceof undiciErrors.ConnectTimeoutError) {
    return `connect timeout after ${timeoutMs} ms`
  }
  const name = (error as { name?: string }).name
  if (
    name === 'TimeoutError' ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  ) {
    return `timeout: no complete response within ${timeoutMs} ms`
  }
  const code = (error as { code?: string }).code
  const message = error instanceof Error ? error.message : String(error)
  return code && !message.includes(code) ? `${code}: ${message}` : message
}

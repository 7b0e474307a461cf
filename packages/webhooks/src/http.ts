import { Agent, buildConnector, errors as undiciErrors } from 'undici'
import { parseRetryAfter } from './schedule'
import { BlockedTargetError, guardedLookup, isBlockedAddress } from './ssrf'

export const RESPONSE_EXCERPT_BYTES = 1024
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
 * literals skip DNS, so they are checked before connecting; names are checked in the lookup.
 */
export function createWebhookAgent(options: WebhookAgentOptions): Agent {
  const base = buildConnector({
    timeout: options.timeoutMs,
    ...(options.allowPrivateTargets ? {} : { lookup: guardedLookup }),
  })
  const connect: buildConnector.connector = (connectOptions, callback) => {
    const host = connectOptions.hostname.replace(/^\[|\]$/g, '')
    if (!options.allowPrivateTargets && isBlockedAddress(host)) {
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

/** One signed POST, bounded by `timeoutMs` from start to the last byte read. Never throws. */
export async function postWebhook(
  agent: Agent,
  input: { url: string; headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<SendResult> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  try {
    const response = await agent.request({
      origin: new URL(input.url).origin,
      path: pathOf(input.url),
      method: 'POST',
      headers: input.headers,
      body: input.body,
      signal: AbortSignal.timeout(input.timeoutMs),
    })
    const responseBody = await readExcerpt(response.body)
    const status = response.statusCode
    const ok = status >= 200 && status < 300
    const retryAfter = response.headers['retry-after']
    return {
      ok,
      httpStatus: status,
      durationMs: elapsed(),
      responseBody,
      error: ok ? null : statusError(status),
      retryAfterMs: parseRetryAfter(
        Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        new Date(),
      ),
      permanent: false,
    }
  } catch (error) {
    return {
      ok: false,
      httpStatus: null,
      durationMs: elapsed(),
      responseBody: null,
      error: describeError(error, input.timeoutMs),
      retryAfterMs: null,
      permanent: findBlocked(error) !== null,
    }
  }
}

function pathOf(url: string): string {
  const parsed = new URL(url)
  return `${parsed.pathname}${parsed.search}`
}

function statusError(status: number): string {
  if (status >= 300 && status < 400) return `HTTP ${status}: redirects are not followed`
  return `HTTP ${status}`
}

async function readExcerpt(body: AsyncIterable<Buffer>): Promise<string | null> {
  const chunks: Buffer[] = []
  let kept = 0
  let seen = 0
  for await (const chunk of body) {
    seen += chunk.length
    if (kept < RESPONSE_EXCERPT_BYTES) {
      const part = chunk.subarray(0, RESPONSE_EXCERPT_BYTES - kept)
      chunks.push(part)
      kept += part.length
    }
    // Leaving the loop destroys the body: the connection is dropped, not reused.
    if (seen > MAX_DRAIN_BYTES) break
  }
  return kept === 0 ? null : Buffer.concat(chunks).toString('utf8')
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

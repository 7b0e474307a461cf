import { createHmac } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Dispatcher, request } from 'undici'
import {
  type ErrorContext,
  errorFromGraphResponse,
  errorFromTransport,
  unexpectedResponse,
} from './error-mapping'
import { isMetaError, type MetaError } from './errors'

export interface TransportOptions {
  graphUrl: string
  graphVersion: string
  appSecret: string
  timeoutMs: number
  maxRetries: number
  retryBaseDelayMs: number
  dispatcher?: Dispatcher
}

export interface GraphCall {
  operation: string
  method: 'GET' | 'POST' | 'DELETE'
  /** Path below the versioned base (`/123/phone_numbers`), or an absolute URL already vetted by the caller. */
  path: string
  query?: Record<string, string | undefined>
  /** Sent as Bearer with an appsecret_proof; omit for calls authenticated by parameters. */
  token?: string
  jsonBody?: unknown
  /** Single-use requests (the code exchange) must never be sent twice. */
  retry: boolean
  isCodeExchange?: boolean
  /** Secrets that appear in this call's parameters, kept out of error messages. */
  secrets?: readonly string[]
}

export interface GraphResponse {
  status: number
  body: unknown
}

function appSecretProof(token: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(token).digest('hex')
}

export function versionedBase(options: Pick<TransportOptions, 'graphUrl' | 'graphVersion'>): URL {
  const base = options.graphUrl.replace(/\/+$/, '')
  const version = options.graphVersion.replace(/^\/+|\/+$/g, '')
  return new URL(version ? `${base}/${version}/` : `${base}/`)
}

function buildUrl(options: TransportOptions, call: GraphCall): URL {
  const url = /^https?:\/\//.test(call.path)
    ? new URL(call.path)
    : new URL(call.path.replace(/^\/+/, ''), versionedBase(options))
  // The token travels in the Authorization header only, never in a URL that could be logged.
  url.searchParams.delete('access_token')
  url.searchParams.delete('appsecret_proof')
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, value)
  }
  if (call.token)
    url.searchParams.set('appsecret_proof', appSecretProof(call.token, options.appSecret))
  return url
}

async function sendOnce(
  options: TransportOptions,
  call: GraphCall,
  ctx: ErrorContext,
): Promise<GraphResponse> {
  const url = buildUrl(options, call)
  const headers: Record<string, string> = { accept: 'application/json' }
  if (call.token) headers.authorization = `Bearer ${call.token}`
  let body: string | undefined
  if (call.jsonBody !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(call.jsonBody)
  }
  const signal = AbortSignal.timeout(options.timeoutMs)
  let status: number
  let text: string
  try {
    const res = await request(url, {
      method: call.method,
      headers,
      body,
      signal,
      dispatcher: options.dispatcher,
    })
    status = res.statusCode
    text = await res.body.text()
  } catch (cause) {
    throw errorFromTransport(cause, signal.aborted, ctx)
  }
  if (status < 200 || status >= 300) throw errorFromGraphResponse(status, text, ctx)
  try {
    return { status, body: JSON.parse(text) }
  } catch {
    throw unexpectedResponse(status, ctx)
  }
}

/** One Graph call with a timeout per attempt and a bounded, backed-off retry of transient failures. */
export async function sendGraph(
  options: TransportOptions,
  call: GraphCall,
): Promise<GraphResponse> {
  const ctx: ErrorContext = {
    operation: call.operation,
    secrets: [options.appSecret, ...(call.token ? [call.token] : []), ...(call.secrets ?? [])],
    isCodeExchange: call.isCodeExchange === true,
  }
  const attempts = call.retry ? 1 + Math.max(0, options.maxRetries) : 1
  let lastError: MetaError | undefined
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) {
      const jitter = Math.random() * options.retryBaseDelayMs
      await sleep(options.retryBaseDelayMs * 2 ** (attempt - 1) + jitter)
    }
    try {
      return await sendOnce(options, call, ctx)
    } catch (error) {
      if (!isMetaError(error)) throw error
      lastError = error
      // Rate limits are retryable for the caller, later; hammering Graph now only extends them.
      if (!error.retryable || error.code !== 'meta_api_error') throw error
    }
  }
  throw lastError
}

/** Parses a 2xx body with a zod schema, turning a shape mismatch into a MetaError. */
export function parseBody<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  response: GraphResponse,
  operation: string,
): T {
  const parsed = schema.safeParse(response.body)
  if (!parsed.success) {
    throw unexpectedResponse(response.status, { operation, secrets: [], isCodeExchange: false })
  }
  return parsed.data
}

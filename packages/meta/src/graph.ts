import { MetaError } from './errors'
import { successResponse } from './schemas'
import {
  type GraphCall,
  type GraphResponse,
  parseBody,
  sendGraph,
  type TransportOptions,
  versionedBase,
} from './transport'
import type { MetaClientOptions } from './types'

/** What every operation uses: the app, the transport, and the shared ways of calling Graph. */
export interface Graph {
  appId: string
  appSecret: string
  /** `app_id|app_secret`, the app access token `debug_token` takes. */
  appToken: string
  call(c: GraphCall): Promise<GraphResponse>
  /** Calls an endpoint that answers `{"success": true}`; anything else is a MetaError. */
  ensureSuccess(c: GraphCall): Promise<void>
  /** Follows `paging.next` up to the client's page limit and returns every page's `data`. */
  collectPages<T>(first: Omit<GraphCall, 'method' | 'retry'>, schema: PagedSchema<T>): Promise<T[]>
}

type PagedSchema<T> = {
  safeParse(
    value: unknown,
  ): { success: true; data: { data: T[]; paging?: { next?: string } } } | { success: false }
}

export function createGraph(options: MetaClientOptions): Graph {
  const transport: TransportOptions = {
    graphUrl: options.graphUrl,
    graphVersion: options.graphVersion,
    appSecret: options.appSecret,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxRetries: options.maxRetries ?? 2,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 250,
    dispatcher: options.dispatcher,
  }
  const maxPages = options.maxPages ?? 20
  const graphBase = versionedBase(transport)
  const call = (c: GraphCall) => sendGraph(transport, c)

  /** Only pages on our configured Graph base are followed, so the token never leaves for another host. */
  function vetNextPage(next: string, operation: string): string {
    const url = new URL(next)
    if (url.origin !== graphBase.origin || !url.pathname.startsWith(graphBase.pathname)) {
      throw new MetaError({
        code: 'meta_api_error',
        message: `Meta ${operation} returned a next page outside the configured Graph URL; not followed`,
        httpStatus: 200,
        retryable: false,
      })
    }
    return url.toString()
  }

  return {
    appId: options.appId,
    appSecret: options.appSecret,
    appToken: `${options.appId}|${options.appSecret}`,
    call,
    async ensureSuccess(c) {
      const body = parseBody(successResponse, await call(c), c.operation)
      if (!body.success) {
        throw new MetaError({
          code: 'meta_api_error',
          message: `Meta ${c.operation} answered success: false`,
          httpStatus: 200,
          retryable: false,
        })
      }
    },
    async collectPages(first, schema) {
      const { operation, token } = first
      const items = []
      let path = first.path
      let query = first.query
      for (let page = 0; page < maxPages; page++) {
        const response = await call({ operation, method: 'GET', path, query, token, retry: true })
        const body = parseBody(schema, response, operation)
        items.push(...body.data)
        const next = body.paging?.next
        if (!next || body.data.length === 0) break
        path = vetNextPage(next, operation)
        query = undefined
      }
      return items
    },
  }
}

/**
 * Graph ids are digits; anything else would let a caller steer the request path. Ids often come
 * from the browser, so a bad one is a MetaError the caller already handles, not a crash.
 */
export function nodeId(id: string, what: string): string {
  if (/^\d{1,32}$/.test(id)) return id
  throw new MetaError({
    code: 'meta_api_error',
    message: `${what} is not a Graph id (digits only); request not sent`,
    httpStatus: 0,
    retryable: false,
  })
}

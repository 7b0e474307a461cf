import autocannon from 'autocannon'

export interface LoadResult {
  requestsPerSecond: number
  /** autocannon's latency histogram has whole-millisecond buckets. */
  p50Ms: number
  p99Ms: number
  meanMs: number
  requests: number
  errors: number
  non2xx: number
}

export interface LoadOptions {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  connections: number
  durationSeconds: number
}

/**
 * Drives one URL with autocannon and keeps the numbers the report needs. A run with any
 * error or non-2xx answer throws: a fast 401 or 404 would make any ratio meaningless.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
  })
  const load = {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.mean,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
  if (load.errors > 0 || load.non2xx > 0 || load.requests === 0) {
    throw new Error(
      `${options.method ?? 'GET'} ${options.url}: ${load.requests} requests, ${load.errors} errors, ${load.non2xx} non-2xx`,
    )
  }
  return load
}

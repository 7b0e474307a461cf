import { Client } from 'undici'

export interface ProbeResult {
  requests: number
  meanMs: number
  p50Ms: number
  p99Ms: number
}

/**
 * One request at a time over one keep-alive connection, each timed to the microsecond:
 * the latency of the request itself, without queueing behind other connections and
 * without autocannon's whole-millisecond buckets (too coarse for sub-millisecond reads).
 */
/** Each request's latency in ms, one at a time, for `durationSeconds`. */
export async function probeTimings(options: {
  url: string
  headers?: Record<string, string>
  durationSeconds: number
}): Promise<number[]> {
  const url = new URL(options.url)
  const client = new Client(url.origin)
  const path = `${url.pathname}${url.search}`
  const timings: number[] = []
  try {
    const until = performance.now() + options.durationSeconds * 1000
    while (performance.now() < until) {
      const started = performance.now()
      const res = await client.request({ path, method: 'GET', headers: options.headers })
      await res.body.text()
      timings.push(performance.now() - started)
      if (res.statusCode < 200 || res.statusCode >= 300) {
        throw new Error(`GET ${options.url} answered ${res.statusCode}`)
      }
    }
  } finally {
    await client.close()
  }
  return timings
}

export function summarize(samples: readonly number[]): ProbeResult {
  const timings = [...samples].sort((a, b) => a - b)
  const at = (p: number) =>
    timings[Math.min(timings.length - 1, Math.floor(p * timings.length))] ?? 0
  return {
    requests: timings.length,
    meanMs: round3(timings.reduce((sum, t) => sum + t, 0) / Math.max(1, timings.length)),
    p50Ms: round3(at(0.5)),
    p99Ms: round3(at(0.99)),
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000
}

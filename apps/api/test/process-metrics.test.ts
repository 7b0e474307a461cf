import { setTimeout as sleep } from 'node:timers/promises'
import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { registerProcessMetrics } from '../src/lib/process-metrics'

function sample(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)
  if (!match?.[1]) throw new Error(`${name} is not in the exposition`)
  return Number(match[1])
}

describe('process metrics', () => {
  it('reports CPU, memory, heap, event-loop lag and start time under the usual names', async () => {
    const registry = new Registry()
    registerProcessMetrics(registry)
    // The sampler's first tick only starts its clock.
    await sleep(30)
    const first = await registry.metrics()
    // A new window's first tick only starts its clock too (as with prom-client's own).
    await sleep(30)
    // Work the event loop: a blocked loop must show as lag, burnt CPU as a larger counter.
    const until = Date.now() + 60
    while (Date.now() < until) {}
    await sleep(30)
    const second = await registry.metrics()

    const cpu = sample(second, 'process_cpu_seconds_total')
    expect(cpu).toBeGreaterThan(sample(first, 'process_cpu_seconds_total'))
    // Read one after the other, so a collection in between may add a little: seconds, not µs.
    expect(cpu).toBeCloseTo(
      sample(second, 'process_cpu_user_seconds_total') +
        sample(second, 'process_cpu_system_seconds_total'),
      1,
    )
    expect(second).toMatch(/^# TYPE process_cpu_seconds_total counter$/m)
    expect(sample(second, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024)
    expect(sample(second, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0)
    expect(sample(second, 'nodejs_heap_size_total_bytes')).toBeGreaterThanOrEqual(
      sample(second, 'nodejs_heap_size_used_bytes'),
    )
    expect(sample(second, 'nodejs_external_memory_bytes')).toBeGreaterThan(0)
    // The 60 ms the loop was blocked, seen by the 10 ms sampler since the first scrape.
    expect(sample(second, 'nodejs_eventloop_lag_max_seconds')).toBeGreaterThan(0.04)
    expect(sample(second, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0)
    expect(sample(second, 'nodejs_eventloop_lag_mean_seconds')).toBeGreaterThan(0)
    // Whole seconds, rounded as prom-client rounds: up to half a second after the real start.
    const started = sample(second, 'process_start_time_seconds')
    expect(started).toBeLessThanOrEqual(Date.now() / 1000 + 0.5)
    expect(started).toBeGreaterThan(Date.now() / 1000 - process.uptime() - 2)
  })

  it('starts a new event-loop window at each scrape, and has no GC histogram', async () => {
    const registry = new Registry()
    registerProcessMetrics(registry)
    await sleep(30)
    const until = Date.now() + 400
    while (Date.now() < until) {}
    await sleep(30)
    const blocked = await registry.metrics()
    await sleep(50)
    const quiet = await registry.metrics()
    expect(sample(blocked, 'nodejs_eventloop_lag_max_seconds')).toBeGreaterThan(0.35)
    // The 400 ms block belongs to the first window only.
    expect(sample(quiet, 'nodejs_eventloop_lag_max_seconds')).toBeLessThan(0.35)
    expect(quiet).not.toContain('nodejs_gc_duration_seconds')
  })
})

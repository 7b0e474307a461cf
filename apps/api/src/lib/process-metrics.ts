import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Counter, Gauge, type Registry } from 'prom-client'

/**
 * The process's own metrics under prom-client's default names (CPU, memory, heap, event-loop
 * lag, start time), read at scrape time. Not prom-client's `collectDefaultMetrics`: its GC
 * histogram observes every collection through perf_hooks, and the API, which runs with
 * `--optimize-for-size` and so collects often, spent about 15 µs of a hosted page's ~190 µs
 * of CPU on it under load (docs/performance.md). Nothing here runs between scrapes but the
 * event-loop delay sampler, which is native.
 */
export function registerProcessMetrics(registry: Registry): void {
  const registers = [registry]
  const cpu = (name: string, help: string, seconds: (usage: NodeJS.CpuUsage) => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        // A counter read from the kernel's running total: set, not incremented.
        this.reset()
        this.inc(seconds(process.cpuUsage()))
      },
    })
  cpu('process_cpu_user_seconds_total', 'User CPU time spent, in seconds', (u) => u.user / 1e6)
  cpu(
    'process_cpu_system_seconds_total',
    'System CPU time spent, in seconds',
    (u) => u.system / 1e6,
  )
  cpu(
    'process_cpu_seconds_total',
    'User and system CPU time spent, in seconds',
    (u) => (u.user + u.system) / 1e6,
  )

  const memory = (name: string, help: string, bytes: (usage: NodeJS.MemoryUsage) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(bytes(process.memoryUsage()))
      },
    })
  memory('process_resident_memory_bytes', 'Resident memory size, in bytes', (m) => m.rss)
  memory('nodejs_heap_size_total_bytes', 'V8 heap size, in bytes', (m) => m.heapTotal)
  memory('nodejs_heap_size_used_bytes', 'V8 heap used, in bytes', (m) => m.heapUsed)
  memory('nodejs_external_memory_bytes', 'Memory outside the V8 heap, in bytes', (m) => m.external)

  // Sampled every 10 ms, as prom-client does. Each scrape reports the delays since the last:
  // the first gauge's collect sets all three and starts a new window, and it is registered
  // first so the other two are written after it.
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const seconds = (nanoseconds: number) => (Number.isFinite(nanoseconds) ? nanoseconds / 1e9 : 0)
  new Gauge({
    name: 'nodejs_eventloop_lag_mean_seconds',
    help: 'Mean event-loop delay since the last scrape, in seconds',
    registers,
    collect() {
      this.set(seconds(delay.mean))
      lagMax.set(seconds(delay.max))
      lagP99.set(seconds(delay.percentile(99)))
      delay.reset()
    },
  })
  const lagMax = new Gauge({
    name: 'nodejs_eventloop_lag_max_seconds',
    help: 'Longest event-loop delay since the last scrape, in seconds',
    registers,
  })
  const lagP99 = new Gauge({
    name: 'nodejs_eventloop_lag_p99_seconds',
    help: '99th percentile of the event-loop delay since the last scrape, in seconds',
    registers,
  })

  new Gauge({
    name: 'process_start_time_seconds',
    help: 'When the process started, in seconds since the Unix epoch',
    registers,
  }).set(Math.round((Date.now() - process.uptime() * 1000) / 1000))
}

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { JOB_STATES, type RedisWorkQueue } from '@onboard/queue'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/**
 * The worker's Prometheus metrics, all in one place. Labels are outcomes, results, queue
 * names and job states: nothing names an organisation, an endpoint or a URL.
 */
export interface WorkerMetrics {
  registry: Registry
  deliveries: Counter<'outcome'>
  receipts: Counter<'result'>
  receiptDuration: Histogram
  relayOldestOverdue: Gauge
  relayLastTick: Gauge
}

/** A registry with Node's own metrics, for a worker-only process. */
export function createWorkerRegistry(): Registry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return registry
}

export function createWorkerMetrics(registry: Registry = new Registry()): WorkerMetrics {
  const registers = [registry]
  return {
    registry,
    deliveries: new Counter({
      name: 'onboard_webhook_delivery_attempts_total',
      help: 'Delivery jobs handled, by outcome (delivered, retry, failed, endpoint_disabled, skipped, missing, not_due)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    receipts: new Counter({
      name: 'onboard_meta_receipts_processed_total',
      help: 'Meta webhook receipts handled, by result (processed, skipped, error)',
      labelNames: ['result'] as const,
      registers,
    }),
    receiptDuration: new Histogram({
      name: 'onboard_meta_receipt_processing_seconds',
      help: 'Time to turn one Meta webhook receipt into events and deliveries',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    relayOldestOverdue: new Gauge({
      name: 'onboard_webhook_relay_oldest_overdue_seconds',
      help: 'At the last relay tick: how long the oldest pending delivery was past its time (0: none). Growing means deliveries are not being worked off.',
      registers,
    }),
    relayLastTick: new Gauge({
      name: 'onboard_webhook_relay_last_tick_timestamp_seconds',
      help: 'When the outbox relay last read the database and reached Redis (Unix time)',
      registers,
    }),
  }
}

/**
 * Queue depths, read from Redis when Prometheus scrapes (so any number of workers report
 * the same truth), over the process's own queue connection. A scrape while Redis is away
 * shows no depth series rather than stale ones.
 */
export function registerQueueDepths(registry: Registry, queue: RedisWorkQueue): void {
  new Gauge({
    name: 'onboard_queue_jobs',
    help: 'Jobs in each BullMQ queue by state, read from Redis at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      for (const { queue: name, counts } of (await queue.jobCounts()) ?? []) {
        for (const state of JOB_STATES) this.set({ queue: name, state }, counts[state] ?? 0)
      }
    },
  })
}

/**
 * A worker-only process's small HTTP server: /metrics for Prometheus and /healthz for the
 * orchestrator. In the one-process mode the API serves both instead.
 */
export async function serveWorkerMetrics(
  registry: Registry,
  port: number,
): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    if (request.method === 'GET' && path === '/metrics') {
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      )
    } else if (request.method === 'GET' && path === '/healthz') {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'ok' }))
    } else {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new Error(`Cannot listen on METRICS_PORT ${port}: ${error.message}`)),
    )
    server.listen(port, resolve)
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

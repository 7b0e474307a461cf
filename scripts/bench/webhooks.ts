import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import {
  type CoreContext,
  createOrganization,
  loadConfig,
  openCore,
  outgoingWebhooks,
  recordEvent,
  type Tenant,
} from '@onboard/core'
import { createDeliveryQueue, type DeliveryQueue } from '@onboard/queue'
import { generateWebhookSecret } from '@onboard/webhooks'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { Webhook } from 'standardwebhooks'
import { serviceNodeArgs } from './lib/bundles'
import { type BenchDialect, benchDatabase } from './lib/database'
import { type BenchProcess, startEntry } from './lib/processes'

export interface WebhookSection {
  events: number
  concurrency: number
  deliveriesPerSecond: number
  noopJobsPerSecond: number
  ratio: number
  steadyRate: number
  /** Events per second the producer actually committed and enqueued in the steady run. */
  achievedRate: number
  commitToReceiptP50Ms: number
  commitToReceiptP99Ms: number
  invalidSignatures: number
  workerPeakRssMb: number
  /** CPU µs per job of each process in the throughput runs: ours, then the no-op's. */
  cpu: { deliveries: CpuPerJob; noop: CpuPerJob }
}

/**
 * Where a job's CPU goes on the shared cores: the worker, Redis, and this bench process (the
 * producer's enqueues, and for deliveries the receiver verifying every signature).
 */
interface CpuPerJob {
  workerMicros: number
  redisMicros: number
  benchMicros: number
}

/** Redis's own CPU so far (INFO cpu: user + system seconds), in µs. */
async function redisCpuMicros(redis: Redis): Promise<number> {
  const info = await redis.info('cpu')
  const seconds = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0)
  return Math.round((seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6)
}

/** Starts counting the CPU of the worker, Redis and this process; `perJob` ends the count. */
async function countCpu(worker: BenchProcess, redis: Redis) {
  const before = {
    worker: worker.cpuMicros(),
    redis: await redisCpuMicros(redis),
    bench: process.cpuUsage(),
  }
  return async (jobs: number): Promise<CpuPerJob> => {
    const bench = process.cpuUsage(before.bench)
    const per = (micros: number) => Math.round(micros / jobs)
    return {
      workerMicros: per(worker.cpuMicros() - before.worker),
      redisMicros: per((await redisCpuMicros(redis)) - before.redis),
      benchMicros: per(bench.user + bench.system),
    }
  }
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64')

/** A customer receiver that verifies every signature, as a careful customer would. */
async function startReceiver(secret: string) {
  const verifier = new Webhook(secret)
  const latencies: number[] = []
  const seen = new Set<string>()
  let invalid = 0
  let onCount: (() => void) | undefined
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString()
      try {
        const payload = verifier.verify(body, req.headers as Record<string, string>) as {
          data: { committedAt: number }
        }
        const id = String(req.headers['webhook-id'])
        if (!seen.has(id)) {
          seen.add(id)
          latencies.push(performance.timeOrigin + performance.now() - payload.data.committedAt)
        }
      } catch {
        invalid++
      }
      res.writeHead(204).end()
      onCount?.()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    latencies,
    invalid: () => invalid,
    received: () => seen.size,
    waitFor: (count: number, timeoutMs: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`received ${seen.size} of ${count}`)),
          timeoutMs,
        )
        onCount = () => {
          if (seen.size >= count) {
            clearTimeout(timer)
            resolve()
          }
        }
        onCount()
      }),
    reset: () => {
      latencies.length = 0
      seen.clear()
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** One event, committed in its own transaction (as a completion would), then enqueued. */
async function commitEvent(core: CoreContext, tenant: Tenant): Promise<string[]> {
  return core.db.transaction().execute(async (trx) => {
    const recorded = await recordEvent(trx, {
      tenant,
      type: 'message.received',
      data: { committedAt: performance.timeOrigin + performance.now(), text: 'hello' },
    })
    return recorded.deliveryIds
  })
}

async function enqueueInBatches(queue: DeliveryQueue, ids: string[]) {
  for (let i = 0; i < ids.length; i += 1000) await queue.enqueue(ids.slice(i, i + 1000))
}

/** BullMQ's own ceiling on this machine: no-op jobs, same Redis, same concurrency. */
async function benchNoop(
  workDir: string,
  events: number,
  concurrency: number,
): Promise<{ jobsPerSecond: number; cpu: CpuPerJob }> {
  const prefix = `bench-noop-${randomUUID().slice(0, 8)}`
  let ready = false
  let done = 0
  const worker = await startEntry(
    'scripts/bench/noop-worker.ts',
    { REDIS_URL, QUEUE_PREFIX: prefix, CONCURRENCY: String(concurrency) },
    {
      logFile: join(workDir, 'noop-worker.log'),
      ready: () => ready,
      onLine: (line) => {
        if (line === 'ready') ready = true
        const match = /^done (\d+)$/.exec(line)
        if (match) done = Number(match[1])
      },
    },
  )
  const connection = new Redis(REDIS_URL)
  const queue = new Queue('noop', { connection, prefix })
  try {
    const cpu = await countCpu(worker, connection)
    const started = performance.now()
    for (let i = 0; i < events; i += 1000) {
      await queue.addBulk(
        Array.from({ length: Math.min(1000, events - i) }, (_, k) => ({
          name: 'noop',
          data: { deliveryId: `msg_${i + k}` },
          opts: { jobId: `msg_${i + k}`, removeOnComplete: true, removeOnFail: true },
        })),
      )
    }
    await waitUntil(
      () => done >= events,
      120_000,
      () => `noop worker finished ${done} of ${events}`,
    )
    const jobsPerSecond = Math.round(events / ((performance.now() - started) / 1000))
    return { jobsPerSecond, cpu: await cpu(events) }
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined)
    await queue.close()
    connection.disconnect()
    await worker.stop()
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: () => string) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export async function benchWebhooks(options: {
  workDir: string
  dialect: BenchDialect
  events: number
  concurrency: number
  steadyRate: number
  steadySeconds: number
}): Promise<WebhookSection> {
  const database = await benchDatabase(options.dialect, options.workDir, 'webhooks')
  const databaseUrl = database.url
  const loaded = loadConfig({ DATABASE_URL: databaseUrl, ENCRYPTION_KEY })
  if (!loaded.ok) throw new Error(loaded.message)
  const opened = await openCore(loaded.config)
  const core = opened.core
  const org = await createOrganization(core, { name: 'Bench webhooks' })
  const tenant: Tenant = { organizationId: org.organization.id, mode: 'test' }
  const prefix = `bench-${randomUUID().slice(0, 8)}`
  const queue = createDeliveryQueue({ redisUrl: REDIS_URL, prefix })
  await queue.ready(5000)

  const secret = generateWebhookSecret()
  const receiver = await startReceiver(secret)
  const redisInfo = new Redis(REDIS_URL)
  let worker: BenchProcess | undefined
  try {
    const noop = await benchNoop(options.workDir, options.events, options.concurrency)
    // The receiver listens on 127.0.0.1, as the worker here is allowed to reach.
    await outgoingWebhooks.createOutgoingWebhook(core, { allowPrivateTargets: true }, tenant, {
      url: receiver.url,
      events: ['message.received'],
      secret,
    })
    worker = await startEntry(
      'workers/webhooks/src/main.ts',
      {
        DATABASE_URL: databaseUrl,
        ENCRYPTION_KEY,
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_QUEUE_PREFIX: prefix,
        WEBHOOK_WORKER_CONCURRENCY: String(options.concurrency),
        // The relay would enqueue the events committed first before the timed run starts;
        // here every job comes from the producer, as after a commit in the API.
        WEBHOOK_RELAY_INTERVAL: '1h',
        METRICS_PORT: '0',
        LOG_LEVEL: 'info',
      },
      {
        logFile: join(options.workDir, 'worker.log'),
        readyLine: /webhook worker started/,
        nodeArgs: await serviceNodeArgs(options.workDir, 'worker'),
      },
    )
    // Throughput: N committed events, then enqueued as fast as the producer can.
    const ids: string[] = []
    for (let i = 0; i < options.events; i++) ids.push(...(await commitEvent(core, tenant)))
    const cpu = await countCpu(worker, redisInfo)
    const started = performance.now()
    await enqueueInBatches(queue, ids)
    await receiver.waitFor(options.events, 300_000)
    const deliveriesPerSecond = Math.round(options.events / ((performance.now() - started) / 1000))
    const deliveriesCpu = await cpu(options.events)

    // Latency: a steady stream, each event committed and enqueued on its own.
    receiver.reset()
    const total = options.steadyRate * options.steadySeconds
    const intervalMs = 1000 / options.steadyRate
    const streamStart = performance.now()
    for (let i = 0; i < total; i++) {
      const due = streamStart + i * intervalMs
      const wait = due - performance.now()
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
      await queue.enqueue(await commitEvent(core, tenant))
    }
    const achievedRate = Math.round(total / ((performance.now() - streamStart) / 1000))
    await receiver.waitFor(total, 60_000)
    const sorted = [...receiver.latencies].sort((a, b) => a - b)
    const pct = (p: number) =>
      Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) /
      10
    return {
      events: options.events,
      concurrency: options.concurrency,
      deliveriesPerSecond,
      noopJobsPerSecond: noop.jobsPerSecond,
      ratio: Math.round((deliveriesPerSecond / Math.max(1, noop.jobsPerSecond)) * 100) / 100,
      steadyRate: options.steadyRate,
      achievedRate,
      commitToReceiptP50Ms: pct(0.5),
      commitToReceiptP99Ms: pct(0.99),
      invalidSignatures: receiver.invalid(),
      workerPeakRssMb: worker.peakRssMb(),
      cpu: { deliveries: deliveriesCpu, noop: noop.cpu },
    }
  } finally {
    await worker?.stop()
    await receiver.close()
    redisInfo.disconnect()
    await queue.queue.obliterate({ force: true }).catch(() => undefined)
    await queue.close()
    await opened.close()
    await database.drop()
  }
}

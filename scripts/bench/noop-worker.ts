import { Worker } from 'bullmq'
import { Redis } from 'ioredis'

// The delivery baseline: a BullMQ worker that does nothing, on the same Redis with the
// same concurrency as ours. It prints how many jobs it has finished, every 100.
const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  maxRetriesPerRequest: null,
})
let done = 0
const worker = new Worker('noop', async () => {}, {
  connection,
  prefix: process.env.QUEUE_PREFIX,
  concurrency: Number(process.env.CONCURRENCY ?? 50),
  removeOnComplete: { count: 1000 },
})
worker.on('completed', () => {
  done++
  if (done % 100 === 0) process.stdout.write(`done ${done}\n`)
})
worker.on('ready', () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)))

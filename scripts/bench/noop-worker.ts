import { Worker } from 'bullmq'
import { Redis } from 'ioredis'

// The delivery baseline: a BullMQ worker that does nothing, on the same Redis with the
// same concurrency and job removal as ours. It prints how many jobs it has finished
// every 20 ms (when that changed), so the parent sees the last job whatever the count.
const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  maxRetriesPerRequest: null,
})
let done = 0
let reported = 0
const worker = new Worker('noop', async () => {}, {
  connection,
  prefix: process.env.QUEUE_PREFIX,
  concurrency: Number(process.env.CONCURRENCY ?? 50),
  removeOnComplete: { count: 0 },
  removeOnFail: { count: 0 },
})
worker.on('completed', () => {
  done++
})
const reporter = setInterval(() => {
  if (done === reported) return
  reported = done
  process.stdout.write(`done ${done}\n`)
}, 20)
worker.on('ready', () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => {
  clearInterval(reporter)
  void worker.close().then(() => process.exit(0))
})

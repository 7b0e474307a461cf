import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { waitFor } from './receiver'

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

/**
 * A free port below Linux's ephemeral range (32768-60999). A test Redis is stopped and
 * started again on its port; an ephemeral port freed meanwhile can be handed to any other
 * test's `listen(0)`, which then answers in Redis's place. Ports here are never handed out
 * that way.
 */
async function redisPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000)
    const server = createServer()
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => resolve(true))
    })
    if (free) {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      return port
    }
  }
  throw new Error('no free port for a test Redis')
}

export interface RedisServer {
  url: string
  /** Stops this server (and loses its data: no persistence). */
  stop: () => Promise<void>
  /** Starts it again on the same port, empty. */
  start: () => Promise<void>
}

/** A private redis-server on a spare port, so stopping it touches nothing else. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await redisPort()
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn(
      '/usr/bin/redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    )
    await waitFor(`redis-server on ${port}`, () => ping(port), 10_000)
    // A PONG from another server on this port must not pass for ours.
    if (child.exitCode !== null) throw new Error(`redis-server could not bind port ${port}`)
  }
  const stop = async () => {
    const running = child
    child = undefined
    if (!running || running.exitCode !== null) return
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()))
    running.kill('SIGKILL')
    await exited
  }
  await start()
  return { url: `redis://127.0.0.1:${port}`, start, stop }
}

async function ping(port: number): Promise<boolean> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    retryStrategy: () => null,
  })
  client.on('error', () => undefined)
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

export interface WorkerProcess {
  child: ChildProcess
  /** Every stdout/stderr line so far. */
  output: string[]
  /** Resolves with the exit code. */
  exited: Promise<number | null>
  kill: (signal: NodeJS.Signals) => Promise<number | null>
}

/** The real worker entry as a child process: node --import tsx workers/webhooks/src/main.ts */
export async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/webhooks/src/main.ts'], {
    cwd: REPO_ROOT,
    // The tests read the worker's log lines, so it always logs at info.
    // METRICS_PORT 0: any free port, so workers of parallel tests never collide on 9464.
    env: { PATH: process.env.PATH ?? '', METRICS_PORT: '0', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  const collect = (chunk: Buffer) =>
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean))
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  await waitFor(
    'the worker to start',
    () => output.some((line) => line.includes('webhook worker started')) || child.exitCode !== null,
    20_000,
  )
  if (child.exitCode !== null) throw new Error(`The worker exited:\n${output.join('\n')}`)
  return {
    child,
    output,
    exited,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}

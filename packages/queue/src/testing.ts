import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'

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
  /** Stops this server with SIGKILL (and loses its data: no persistence). */
  stop: () => Promise<void>
  /** Sends SIGKILL now, synchronously, without waiting for the exit (see `stop`). */
  killNow: () => void
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
    const deadline = Date.now() + 10_000
    while (!(await ping(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer`)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    // A PONG from another server on this port must not pass for ours.
    if (child.exitCode !== null) throw new Error(`redis-server could not bind port ${port}`)
  }
  const stop = async () => {
    const running = child
    child = undefined
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()))
    running.kill('SIGKILL')
    await exited
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    start: async () => {
      await stop()
      await start()
    },
    stop,
    killNow: () => {
      child?.kill('SIGKILL')
    },
  }
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

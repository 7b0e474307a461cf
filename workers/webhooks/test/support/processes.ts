import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { waitFor } from './receiver'

/** A private redis-server on a spare port, so stopping it touches nothing else. */
export { type RedisServer, startRedisServer } from '@onboard/queue/testing'

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

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

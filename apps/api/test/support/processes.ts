import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url))

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

export interface RunningProcess {
  child: ChildProcess
  output: () => string
  /** Resolves when the combined output matches, or rejects after `timeoutMs`. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>
  exited: Promise<number | null>
  stop: () => Promise<void>
}

/** Runs a TypeScript entry of this repo with tsx, as scripts/start does. */
export function runEntry(
  entry: string,
  args: string[],
  env: Record<string, string>,
): RunningProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const listeners = new Set<() => void>()
  const append = (chunk: Buffer) => {
    output += chunk.toString()
    for (const listener of listeners) listener()
  }
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    child,
    output: () => output,
    exited,
    waitFor: (pattern, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern)
          if (match) {
            listeners.delete(check)
            clearTimeout(timer)
            resolve(match)
          }
        }
        const timer = setTimeout(() => {
          listeners.delete(check)
          reject(new Error(`Timed out waiting for ${pattern}; output so far:\n${output}`))
        }, timeoutMs)
        listeners.add(check)
        check()
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
    },
  }
}

/**
 * Starts the API entry on a free port. Between picking a port and binding it another test
 * may take it, so a "cannot listen" start is retried on a new port (bounded).
 */
export async function runApiOnFreePort(
  env: Record<string, string>,
): Promise<{ api: RunningProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const api = runEntry('apps/api/src/main.ts', [], { ...env, PORT: String(port) })
    const started = await Promise.race([
      api.waitFor(/API listening/).then(() => true),
      api.exited.then(() => false),
    ])
    if (started) return { api, port }
    if (attempt >= 3 || !/Cannot listen/.test(api.output())) {
      throw new Error(`The API did not start:\n${api.output()}`)
    }
  }
}

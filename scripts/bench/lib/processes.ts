import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no free port')
  return address.port
}

export interface BenchProcess {
  child: ChildProcess
  /** Peak resident set size so far, in MB (the kernel's VmHWM). */
  peakRssMb: () => number
  stop: () => Promise<void>
}

/**
 * Starts a TypeScript entry under tsx with its output going to `logFile` (so the load
 * generator never pays for reading the service's logs) and waits, bounded, until
 * `readyUrl` answers 200 or the log shows `readyLine`.
 */
export async function startEntry(
  entry: string,
  env: Record<string, string>,
  options: { logFile: string; readyUrl?: string; readyLine?: RegExp; timeoutMs?: number },
): Promise<BenchProcess> {
  const log = openSync(options.logFile, 'a')
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  })
  closeSync(log)
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${entry} exited with ${child.exitCode}; see ${options.logFile}`)
    const ok = options.readyUrl
      ? await fetch(options.readyUrl).then(
          (res) => res.ok,
          () => false,
        )
      : (options.readyLine?.test(readFileSync(options.logFile, 'utf8')) ?? true)
    if (ok) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${entry} did not become ready; see ${options.logFile}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    child,
    peakRssMb: () => readPeakRssMb(child.pid),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

function readPeakRssMb(pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
    return Math.round(kb / 102.4) / 10
  } catch {
    return 0
  }
}

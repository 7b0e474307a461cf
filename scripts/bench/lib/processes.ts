import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { availableParallelism } from 'node:os'

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
  /** CPU time (user + system) the process has used so far, in µs. */
  cpuMicros: () => number
  stop: () => Promise<void>
}

/** Every child the bench started and has not stopped yet; none may outlive the bench. */
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the child has exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (isRunning(child)) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  running.delete(child)
}

/**
 * Starts a TypeScript entry under tsx (or, given `nodeArgs`, its bundle) with its output
 * going to `logFile` (so the load generator never pays for reading the service's logs), or
 * line by line to `onLine`, and waits, bounded, until `readyUrl` answers 200, the log shows
 * `readyLine`, or `ready()`.
 */
export async function startEntry(
  entry: string,
  env: Record<string, string>,
  options: {
    logFile: string
    readyUrl?: string
    readyLine?: RegExp
    ready?: () => boolean
    onLine?: (line: string) => void
    timeoutMs?: number
    /** Node arguments that run the built bundle of `entry` instead, as ./scripts/start does. */
    nodeArgs?: readonly string[]
  },
): Promise<BenchProcess> {
  const log = openSync(options.logFile, 'a')
  // BENCH_CPU_PROF_DIR=<dir> writes a CPU profile of every service process on exit.
  const profile = process.env.BENCH_CPU_PROF_DIR
  const profileArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []
  const run = options.nodeArgs ?? ['--import', 'tsx', entry]
  const child = spawn(process.execPath, [...profileArgs, ...run], {
    env: { ...process.env, ...env },
    stdio: ['ignore', options.onLine ? 'pipe' : log, log],
  })
  closeSync(log)
  running.add(child)
  if (options.onLine) forwardLines(child, options.onLine)
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  for (;;) {
    if (!isRunning(child)) {
      running.delete(child)
      throw new Error(
        `${entry} exited (${child.exitCode ?? child.signalCode}); see ${options.logFile}`,
      )
    }
    if (await isReady(options)) break
    if (Date.now() > deadline) {
      await stopChild(child)
      throw new Error(`${entry} did not become ready; see ${options.logFile}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    child,
    peakRssMb: () => readPeakRssMb(child.pid),
    cpuMicros: () => readCpuMicros(child.pid),
    stop: () => stopChild(child),
  }
}

async function isReady(options: {
  logFile: string
  readyUrl?: string
  readyLine?: RegExp
  ready?: () => boolean
}): Promise<boolean> {
  if (options.ready) return options.ready()
  if (options.readyUrl) {
    return fetch(options.readyUrl).then(
      (res) => res.ok,
      () => false,
    )
  }
  return options.readyLine?.test(readFileSync(options.logFile, 'utf8')) ?? true
}

/** Whole lines only: a chunk may end in the middle of one. */
function forwardLines(child: ChildProcess, onLine: (line: string) => void) {
  let pending = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString()
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) onLine(line)
  })
}

/**
 * Sets which CPUs a process may run on (`taskset`), where there is more than one CPU and
 * taskset exists; otherwise leaves it where the scheduler puts it. `cpus` is taskset's
 * list syntax; 'last' and 'all' are this machine's last CPU and every CPU.
 */
export function pinToCpus(pid: number | undefined, cpus: 'first' | 'last' | 'all'): boolean {
  const count = availableParallelism()
  if (count < 2 || pid === undefined) return false
  const list = { first: '0', last: String(count - 1), all: `0-${count - 1}` }[cpus]
  return spawnSync('taskset', ['-pc', list, String(pid)], { stdio: 'ignore' }).status === 0
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms). */
function readCpuMicros(pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    const afterName = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? ''
    const fields = afterName.split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10_000
  } catch {
    return 0
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

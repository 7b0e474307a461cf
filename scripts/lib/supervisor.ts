import { type ChildProcess, spawn } from 'node:child_process'

/** One long-running Node process of the service: its name in log lines and its node args. */
export interface SupervisedProcess {
  name: string
  args: string[]
}

export interface SupervisorOptions {
  /** Delay before the first restart; it doubles per crash up to `maxDelayMs`. */
  firstDelayMs?: number
  maxDelayMs?: number
  /** A run that lasted this long was healthy: its crash starts the backoff over. */
  stableAfterMs?: number
  /**
   * After a stop signal, children still running this long later are killed. Longer than any
   * child's own shutdown deadline (the worker drains for WEBHOOK_TIMEOUT + 10 s).
   */
  stopGraceMs?: number
  log?: (line: string) => void
}

export interface Supervisor {
  /**
   * Sends `signal` to every child and restarts none from now on. Resolves once all have
   * exited: true when every one exited with code 0.
   */
  stop: (signal: NodeJS.Signals) => Promise<boolean>
}

/**
 * Runs each process and keeps it running: one that exits while the supervisor is not
 * stopping is restarted with exponential backoff, and the others carry on. Output is
 * inherited, so children log as if they ran alone.
 */
export function supervise(
  processes: SupervisedProcess[],
  {
    firstDelayMs = 1000,
    maxDelayMs = 30_000,
    stableAfterMs = 60_000,
    stopGraceMs = 20_000,
    log = (line) => process.stderr.write(`${new Date().toISOString()} supervisor: ${line}\n`),
  }: SupervisorOptions = {},
): Supervisor {
  const running = new Set<ChildProcess>()
  const pendingRestarts = new Set<NodeJS.Timeout>()
  let stopping = false
  let allExitedCleanly = true
  let resolveStopped: (clean: boolean) => void = () => {}
  const stopped = new Promise<boolean>((resolve) => {
    resolveStopped = resolve
  })

  function start({ name, args }: SupervisedProcess, delayIfItDiesMs: number) {
    // The IPC channel is how a child learns that the supervisor died, even by SIGKILL: the
    // kernel closes it and the child gets 'disconnect' (apps/api and the worker then exit).
    const child = spawn(process.execPath, args, {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: process.env,
    })
    const startedAt = Date.now()
    running.add(child)
    log(`${name} started (pid ${child.pid})`)
    // Only when Node cannot spawn at all; 'exit' still follows when it had started.
    child.on('error', (error) => log(`${name} could not be started: ${error.message}`))
    child.on('exit', (code, signal) => {
      running.delete(child)
      if (stopping) {
        if (code !== 0) allExitedCleanly = false
        if (running.size === 0) resolveStopped(allExitedCleanly)
        return
      }
      const delayMs = Date.now() - startedAt >= stableAfterMs ? firstDelayMs : delayIfItDiesMs
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`
      log(`${name} (pid ${child.pid}) ${how}; restarting in ${delayMs / 1000} s`)
      const timer = setTimeout(() => {
        pendingRestarts.delete(timer)
        start({ name, args }, Math.min(delayMs * 2, maxDelayMs))
      }, delayMs)
      pendingRestarts.add(timer)
    })
  }

  for (const spec of processes) start(spec, firstDelayMs)

  return {
    stop(signal) {
      if (stopping) return stopped
      stopping = true
      for (const timer of pendingRestarts) clearTimeout(timer)
      pendingRestarts.clear()
      if (running.size === 0) resolveStopped(true)
      log(`stopping (${signal}); children have ${stopGraceMs / 1000} s to exit`)
      for (const child of running) child.kill(signal)
      // A child that ignores the signal must not keep the service half-alive.
      setTimeout(() => {
        for (const child of running) {
          log(`pid ${child.pid} did not stop within ${stopGraceMs / 1000} s; killing it`)
          child.kill('SIGKILL')
        }
      }, stopGraceMs).unref()
      return stopped
    },
  }
}

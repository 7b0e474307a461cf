import { type ChildProcess, spawn } from 'node:child_process'
import { loadConfig, openCore } from '@onboard/core'

/**
 * Starts the whole service: migrates once (so the two processes never race to migrate),
 * then runs the API and the webhook worker side by side. If either dies, both stop, and
 * a signal to this process is passed on so both shut down cleanly.
 */
const loaded = loadConfig(process.env)
if (!loaded.ok) {
  process.stderr.write(`${loaded.message}\n`)
  process.exit(1)
}
const opened = await openCore(loaded.config)
await opened.close()

const processes: Record<string, string> = {
  api: 'apps/api/src/main.ts',
  worker: 'workers/webhooks/src/main.ts',
}
const children = new Map<string, ChildProcess>()
let stopping = false

for (const [name, entry] of Object.entries(processes)) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    stdio: 'inherit',
    env: process.env,
  })
  children.set(name, child)
  child.on('exit', (code, signal) => {
    children.delete(name)
    if (!stopping) {
      process.stderr.write(
        `The ${name} process stopped (${signal ?? `exit ${code}`}); stopping the service.\n`,
      )
      stop('SIGTERM', code ?? 1)
    } else if (children.size === 0) {
      process.exit(process.exitCode ?? 0)
    }
  })
}

function stop(signal: NodeJS.Signals, exitCode = 0) {
  if (stopping) return
  stopping = true
  process.exitCode = exitCode
  for (const child of children.values()) child.kill(signal)
  if (children.size === 0) process.exit(exitCode)
  // A child that ignores the signal must not keep the service half-alive.
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL')
    process.exit(exitCode || 1)
  }, 20_000).unref()
}

process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))

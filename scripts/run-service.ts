import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { loadConfig, openCore } from '@onboard/core'
import { buildServiceBundles, SERVICE_NODE_FLAGS } from './lib/service-bundles'

/**
 * Starts the whole service: migrates once (so the two processes never race to migrate),
 * builds the API and the worker into JavaScript bundles (see ./lib/service-bundles.ts),
 * then runs them side by side. If either dies, both stop, and a signal to this process
 * is passed on so both shut down cleanly.
 */
const loaded = loadConfig(process.env)
if (!loaded.ok) {
  process.stderr.write(`${loaded.message}\n`)
  process.exit(1)
}
const opened = await openCore(loaded.config)
await opened.close()

const bundles = await buildServiceBundles(fileURLToPath(new URL('..', import.meta.url)))
const processes: Record<string, string[]> = {
  api: [...SERVICE_NODE_FLAGS.api, bundles.api],
  worker: [...SERVICE_NODE_FLAGS.worker, bundles.worker],
}
const children = new Map<string, ChildProcess>()
let stopping = false

for (const [name, args] of Object.entries(processes)) {
  const child = spawn(process.execPath, args, {
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

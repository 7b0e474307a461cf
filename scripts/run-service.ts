import { fileURLToPath } from 'node:url'
import { loadConfig, openCore } from '@onboard/core'
import { loadWorkerSettings, workerDrainDeadlineMs } from '../workers/webhooks/src/settings'
import { buildServiceBundles, SERVICE_NODE_FLAGS } from './lib/service-bundles'
import { supervise } from './lib/supervisor'

/**
 * Starts the whole service: migrates once (so the two processes never race to migrate),
 * builds the API and the worker into JavaScript bundles (see ./lib/service-bundles.ts),
 * then runs them side by side under a supervisor (./lib/supervisor.ts): one that dies is
 * restarted with backoff while the other keeps serving. SIGINT or SIGTERM to this process
 * is passed on so both shut down cleanly, and nothing is restarted from then on.
 */
// Checked here too, though each process checks again: a child that can never start would
// otherwise be restarted forever instead of the start failing with one clear line.
const loaded = loadConfig(process.env)
const workerSettings = loadWorkerSettings(process.env)
if (!loaded.ok || !workerSettings.ok) {
  process.stderr.write(
    `${!loaded.ok ? loaded.message : workerSettings.ok ? '' : workerSettings.message}\n`,
  )
  process.exit(1)
}
const opened = await openCore(loaded.config)
await opened.close()

const bundles = await buildServiceBundles(fileURLToPath(new URL('..', import.meta.url)))
const service = supervise(
  [
    { name: 'api', args: [...SERVICE_NODE_FLAGS.api, bundles.api] },
    { name: 'worker', args: [...SERVICE_NODE_FLAGS.worker, bundles.worker] },
  ],
  // A worker still draining deliveries on a stop must not be killed before its own deadline.
  { stopGraceMs: workerDrainDeadlineMs(loaded.config.webhooks.timeoutMs) + 5_000 },
)

async function stop(signal: NodeJS.Signals) {
  const clean = await service.stop(signal)
  process.exit(clean ? 0 : 1)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))

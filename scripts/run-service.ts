import { fileURLToPath } from 'node:url'
import { loadConfig, openCore } from '@onboard/core'
import { loadWorkerSettings, workerDrainDeadlineMs } from '../workers/webhooks/src/settings'
import { buildServiceBundles, SERVICE_NODE_FLAGS, type ServiceRole } from './lib/service-bundles'
import { supervise } from './lib/supervisor'

/**
 * Starts the service in one role: `all` (the default: the API and the worker in one
 * process), `api` or `worker` (one role, for running replicas of each on several machines
 * against one PostgreSQL and one Redis; docs/deploy.md). It migrates first, builds the
 * entries into JavaScript bundles (./lib/service-bundles.ts) and runs the role's process
 * under a supervisor (./lib/supervisor.ts) that restarts it with backoff if it dies.
 * SIGINT or SIGTERM is passed on so it shuts down cleanly, and nothing is restarted then.
 */
const ROLES: readonly ServiceRole[] = ['all', 'api', 'worker']
const role = (process.argv[2] ?? 'all') as ServiceRole
if (!ROLES.includes(role) || process.argv.length > 3) {
  process.stderr.write(`Usage: ./scripts/start [${ROLES.join('|')}] (default: all)\n`)
  process.exit(2)
}

// Checked here too, though the process checks again: a child that can never start would
// otherwise be restarted forever instead of the start failing with one clear line.
const loaded = loadConfig(process.env)
const workerSettings = loadWorkerSettings(process.env)
if (!loaded.ok || !workerSettings.ok) {
  process.stderr.write(
    `${!loaded.ok ? loaded.message : workerSettings.ok ? '' : workerSettings.message}\n`,
  )
  process.exit(1)
}
// Every role migrates before it starts: idempotent, and on PostgreSQL Kysely's Migrator holds
// a lock, so replicas starting together wait for one another rather than race.
try {
  const opened = await openCore(loaded.config)
  await opened.close()
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`)
  process.exit(1)
}

const bundles = await buildServiceBundles(fileURLToPath(new URL('..', import.meta.url)))
const service = supervise(
  [{ name: role === 'all' ? 'service' : role, args: [...SERVICE_NODE_FLAGS[role], bundles[role]] }],
  // A worker still draining deliveries on a stop must not be killed before its own deadline.
  { stopGraceMs: workerDrainDeadlineMs(loaded.config.webhooks.timeoutMs) + 5_000 },
)

async function stop(signal: NodeJS.Signals) {
  const clean = await service.stop(signal)
  process.exit(clean ? 0 : 1)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))

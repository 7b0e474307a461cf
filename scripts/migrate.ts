import { loadConfig, openCore } from '@onboard/core'

// Runs pending migrations and exits; scripts/start and every process do the same on start.
const loaded = loadConfig(process.env)
if (!loaded.ok) {
  process.stderr.write(`${loaded.message}\n`)
  process.exit(1)
}
const opened = await openCore(loaded.config)
await opened.close()
process.stdout.write(`Database at ${loaded.config.databaseUrl} is migrated.\n`)

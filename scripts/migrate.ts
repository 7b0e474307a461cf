import { loadConfig, openCore } from '@onboard/core'

// `pnpm migrate`: runs pending migrations on DATABASE_URL (SQLite or PostgreSQL) and exits.
// Every role does the same on start; on PostgreSQL Kysely's migration lock lets only one run.
const loaded = loadConfig(process.env)
if (!loaded.ok) {
  process.stderr.write(`${loaded.message}\n`)
  process.exit(1)
}
const opened = await openCore(loaded.config)
await opened.close()
const { database } = loaded.config
// The PostgreSQL URL may hold a password: name the server and database only.
const where =
  database.dialect === 'sqlite'
    ? `SQLite file ${database.filename}`
    : `PostgreSQL database ${new URL(database.url).host}${new URL(database.url).pathname}`
process.stdout.write(`${where} is migrated.\n`)

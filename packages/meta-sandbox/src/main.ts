// Standalone sandbox: `node --import tsx packages/meta-sandbox/src/main.ts`
// PORT (default 4010), HOST (default 127.0.0.1), META_APP_ID (default the sandbox app),
// META_APP_SECRET (required: the secret your client exchanges codes with and webhooks are signed with),
// META_SYSTEM_USER_TOKEN (optional: the token that reads any WABA without a code; no default),
// DATABASE_URL (optional: a SQLite path or postgres:// URL to keep its state in, migrated on
// start; default a temporary SQLite file, forgotten when the process ends),
// META_CALLBACK_URL (optional: where sent messages' status webhooks go, e.g.
// http://localhost:3000/webhooks/meta; without it none are sent).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDb, type DatabaseLocation, migrateToLatest, parseDatabaseUrl } from '@onboard/db'
import { SANDBOX_APP_ID } from './constants'
import { startMetaSandbox } from './server'

const appSecret = process.env.META_APP_SECRET?.trim()
if (!appSecret) {
  // No public default: a known secret would let anyone sign webhooks as this sandbox.
  process.stderr.write('META_APP_SECRET is required: the sandbox app secret to sign with\n')
  process.exit(1)
}
let location: DatabaseLocation
let temporaryDir: string | undefined
try {
  const databaseUrl = process.env.DATABASE_URL?.trim()
  if (databaseUrl) {
    location = parseDatabaseUrl(databaseUrl)
  } else {
    temporaryDir = mkdtempSync(join(tmpdir(), 'meta-sandbox-'))
    location = { dialect: 'sqlite', filename: join(temporaryDir, 'sandbox.db') }
  }
} catch (error) {
  process.stderr.write(`DATABASE_URL ${(error as Error).message}\n`)
  process.exit(1)
}
const db = createDb(location)
await migrateToLatest(db)
const port = Number(process.env.PORT ?? 4010)
const callbackUrl = process.env.META_CALLBACK_URL?.trim()
const sandbox = await startMetaSandbox({
  db,
  port,
  host: process.env.HOST ?? '127.0.0.1',
  appId: process.env.META_APP_ID || SANDBOX_APP_ID,
  appSecret,
  systemUserToken: process.env.META_SYSTEM_USER_TOKEN?.trim() || undefined,
  callbackUrl: callbackUrl ? () => new URL(callbackUrl) : undefined,
})
console.log(`Meta sandbox listening on ${sandbox.url}`)
console.log(`  Graph:  ${sandbox.url}/graph/v25.0/…   SDK: ${sandbox.url}/sdk.js`)
console.log(
  `  Try:    curl -s -X POST ${sandbox.url}/signups -H 'content-type: application/json' -d '{"scenario":"success"}'`,
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    sandbox
      .close()
      .then(() => db.destroy())
      .finally(() => {
        if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true })
        process.exit(0)
      })
  })
}

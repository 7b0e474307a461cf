import { join } from 'node:path'
import { createOrganization, loadConfig, openCore } from '@onboard/core'
import { SERVICE_NODE_FLAGS } from '../../lib/service-bundles'
import { serviceNodeArgs } from './bundles'
import { type BenchProcess, freePort, startEntry } from './processes'

export interface RunningApi {
  url: string
  key: string
  organizationId: string
  process: BenchProcess
}

/** A migrated database with one organisation, and its test key. */
export async function prepareDatabase(databaseUrl: string) {
  const loaded = loadConfig({
    DATABASE_URL: databaseUrl,
    ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  })
  if (!loaded.ok) throw new Error(loaded.message)
  const opened = await openCore(loaded.config)
  const created = await createOrganization(opened.core, { name: 'Bench organisation' })
  await opened.close()
  return { key: created.keys.test, organizationId: created.organization.id }
}

/**
 * The real API process over `databaseUrl`, as scripts/start runs it (its bundle, JSON logs
 * at info).
 */
export async function startApi(
  workDir: string,
  databaseUrl: string,
  options: {
    env?: Record<string, string>
    prepared?: { key: string; organizationId: string }
  } = {},
) {
  const prepared = options.prepared ?? (await prepareDatabase(databaseUrl))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const process = await startEntry(
    'apps/api/src/main.ts',
    {
      PORT: String(port),
      PUBLIC_BASE_URL: url,
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
      LOG_LEVEL: 'info',
      ...options.env,
    },
    {
      logFile: join(workDir, `api-${port}.log`),
      readyUrl: `${url}/healthz`,
      nodeArgs: await serviceNodeArgs(workDir, 'api'),
    },
  )
  return { url, process, ...prepared } satisfies RunningApi
}

/**
 * The reference server on the same database, with the API's node flags, so the two differ
 * only in what the code does.
 */
export async function startReference(workDir: string, databaseUrl: string) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const entry = 'scripts/bench/reference-server.ts'
  const process = await startEntry(
    entry,
    { PORT: String(port), DATABASE_URL: databaseUrl },
    {
      logFile: join(workDir, 'reference.log'),
      readyUrl: `${url}/healthz`,
      nodeArgs: [...SERVICE_NODE_FLAGS.api, '--import', 'tsx', entry],
    },
  )
  return { url, process }
}

import { type BenchDialect, benchDatabase } from './lib/database'
import { type LoadResult, runLoad } from './lib/load'
import type { BenchProcess } from './lib/processes'
import { prepareDatabase, startApi, startReference } from './lib/service'

interface ApiRow {
  name: string
  api: LoadResult
  reference: LoadResult
  /**
   * Server CPU (user + system) per request during the measured run. Unlike req/s it hardly
   * moves with what else shares the cores, so it is what the goals are set on.
   */
  apiCpuMicrosPerRequest: number
  referenceCpuMicrosPerRequest: number
  /** The API's CPU per request over the reference's: 1 is no cost beyond the reference. */
  cpuRatio: number
  /** Goal for cpuRatio (at most), or 0 for none. */
  goal: number
}

export interface ApiSection {
  rows: ApiRow[]
  apiPeakRssMb: number
}

const LINK_BODY = JSON.stringify({
  name: 'Bench Corp',
  externalId: 'customer-123',
  metadata: { customerId: 'customer-123', locationCode: 'store-01' },
  redirectUrl: 'https://myapp.com/whatsapp/callback',
})

/**
 * Each API endpoint against the reference server's route doing the same work
 * (scripts/bench/reference-server.ts) on the same database, at the same connection count,
 * each after a warm-up. The API runs as scripts/start runs it.
 */
export async function benchApi(options: {
  workDir: string
  dialect: BenchDialect
  connections: number
  durationSeconds: number
  warmupSeconds: number
}): Promise<ApiSection> {
  const database = await benchDatabase(options.dialect, options.workDir, 'api')
  const prepared = await prepareDatabase(database.url)
  const reference = await startReference(options.workDir, database.url)
  const api = await startApi(options.workDir, database.url, { prepared })
  try {
    const auth = { authorization: `Bearer ${api.key}` }
    const json = { ...auth, 'content-type': 'application/json' }
    const created = await fetch(`${api.url}/v1/onboarding-links`, {
      method: 'POST',
      headers: json,
      body: LINK_BODY,
    })
    if (created.status !== 201)
      throw new Error(`create failed: ${created.status} ${await created.text()}`)
    const linkId = (await created.json()).data.id as string

    const cases = [
      {
        // Routing, the request id, the request log line and the headers: the floor every
        // route of the API stands on.
        name: 'GET /healthz',
        goal: 0,
        api: { url: `${api.url}/healthz` },
        reference: { url: `${reference.url}/healthz` },
      },
      {
        name: 'POST /v1/onboarding-links',
        goal: 1.2,
        api: {
          url: `${api.url}/v1/onboarding-links`,
          method: 'POST' as const,
          headers: json,
          body: LINK_BODY,
        },
        reference: {
          url: `${reference.url}/v1/onboarding-links`,
          method: 'POST' as const,
          headers: json,
          body: LINK_BODY,
        },
      },
      {
        name: 'GET /v1/onboarding-links/:id',
        goal: 1.2,
        api: { url: `${api.url}/v1/onboarding-links/${linkId}`, headers: auth },
        reference: { url: `${reference.url}/v1/onboarding-links/${linkId}`, headers: auth },
      },
      {
        name: 'GET /v1/onboarding-links?limit=50',
        goal: 0,
        api: { url: `${api.url}/v1/onboarding-links?limit=50`, headers: auth },
        // The reference has no list; one read by id is the floor of any authenticated read.
        reference: { url: `${reference.url}/v1/onboarding-links/${linkId}`, headers: auth },
      },
      {
        name: 'GET /signup/:id',
        goal: 1.2,
        api: { url: `${api.url}/signup/${linkId}` },
        reference: { url: `${reference.url}/signup/${linkId}` },
      },
    ]

    const rows: ApiRow[] = []
    for (const c of cases) {
      const measure = async (target: typeof c.api | typeof c.reference, server: BenchProcess) => {
        await runLoad({
          ...target,
          connections: options.connections,
          durationSeconds: options.warmupSeconds,
        })
        const cpuBefore = server.cpuMicros()
        const result = await runLoad({
          ...target,
          connections: options.connections,
          durationSeconds: options.durationSeconds,
        })
        const cpuMicrosPerRequest =
          Math.round(((server.cpuMicros() - cpuBefore) / result.requests) * 10) / 10
        return { result, cpuMicrosPerRequest }
      }
      const { result: referenceResult, cpuMicrosPerRequest: referenceCpu } = await measure(
        c.reference,
        reference.process,
      )
      const { result: apiResult, cpuMicrosPerRequest: apiCpu } = await measure(c.api, api.process)
      rows.push({
        name: c.name,
        reference: referenceResult,
        api: apiResult,
        apiCpuMicrosPerRequest: apiCpu,
        referenceCpuMicrosPerRequest: referenceCpu,
        cpuRatio: Math.round((apiCpu / Math.max(0.1, referenceCpu)) * 100) / 100,
        goal: c.goal,
      })
    }
    return { rows, apiPeakRssMb: api.process.peakRssMb() }
  } finally {
    await api.process.stop()
    await reference.process.stop()
    await database.drop()
  }
}

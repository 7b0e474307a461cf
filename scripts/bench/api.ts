import { join } from 'node:path'
import { type LoadResult, runLoad } from './lib/load'
import type { BenchProcess } from './lib/processes'
import { startApi, startBare } from './lib/service'

export interface ApiRow {
  name: string
  api: LoadResult
  bare: LoadResult
  ratio: number
  goal: number
  /**
   * Server CPU (user + system) per request during the measured run. Unlike req/s it hardly
   * moves with what else shares the cores, so it tells where the time goes.
   */
  apiCpuMicrosPerRequest: number
  bareCpuMicrosPerRequest: number
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
 * Each API endpoint against the bare Hono route of the same shape, at the same connection
 * count, each after a warm-up. The API runs as scripts/start runs it: file SQLite, Redis.
 */
export async function benchApi(options: {
  workDir: string
  connections: number
  durationSeconds: number
  warmupSeconds: number
}): Promise<ApiSection> {
  const bare = await startBare(options.workDir)
  const api = await startApi(options.workDir, join(options.workDir, 'api.db'))
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
        bare: { url: `${bare.url}/healthz` },
      },
      {
        name: 'POST /v1/onboarding-links',
        goal: 0.5,
        api: {
          url: `${api.url}/v1/onboarding-links`,
          method: 'POST' as const,
          headers: json,
          body: LINK_BODY,
        },
        bare: {
          url: `${bare.url}/json`,
          method: 'POST' as const,
          headers: { 'content-type': 'application/json' },
          body: LINK_BODY,
        },
      },
      {
        name: 'GET /v1/onboarding-links/:id',
        goal: 0.7,
        api: { url: `${api.url}/v1/onboarding-links/${linkId}`, headers: auth },
        bare: { url: `${bare.url}/json` },
      },
      {
        name: 'GET /v1/onboarding-links?limit=50',
        goal: 0,
        api: { url: `${api.url}/v1/onboarding-links?limit=50`, headers: auth },
        bare: { url: `${bare.url}/json` },
      },
      {
        name: 'GET /signup/:id',
        goal: 0.6,
        api: { url: `${api.url}/signup/${linkId}` },
        bare: { url: `${bare.url}/html` },
      },
    ]

    const rows: ApiRow[] = []
    for (const c of cases) {
      const measure = async (target: typeof c.api | typeof c.bare, server: BenchProcess) => {
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
      const { result: bareResult, cpuMicrosPerRequest: bareCpu } = await measure(
        c.bare,
        bare.process,
      )
      const { result: apiResult, cpuMicrosPerRequest: apiCpu } = await measure(c.api, api.process)
      rows.push({
        name: c.name,
        bare: bareResult,
        api: apiResult,
        ratio:
          Math.round(
            (apiResult.requestsPerSecond / Math.max(1, bareResult.requestsPerSecond)) * 100,
          ) / 100,
        goal: c.goal,
        apiCpuMicrosPerRequest: apiCpu,
        bareCpuMicrosPerRequest: bareCpu,
      })
    }
    return { rows, apiPeakRssMb: api.process.peakRssMb() }
  } finally {
    await api.process.stop()
    await bare.process.stop()
  }
}

import { join } from 'node:path'
import { createDb } from '@onboard/db'
import { probeLatency } from './lib/probe'
import { prepareDatabase, startApi } from './lib/service'

export interface ScaleRow {
  links: number
  getByIdMeanMs: number
  getByIdP99Ms: number
  listFirstPageMeanMs: number
  listFirstPageP99Ms: number
}

export interface ScaleSection {
  rows: ScaleRow[]
  getByIdRatio: number
  listRatio: number
}

/** Inserts `count` links for one organisation straight through SQLite, in batches. */
async function seedLinks(
  databaseUrl: string,
  organizationId: string,
  count: number,
): Promise<string> {
  const { db, sqlite } = createDb({ filename: databaseUrl })
  const insert = sqlite.prepare(
    `insert into onboarding_links (id, organization_id, mode, name, status, expires_at, created_at, updated_at)
     values (?, ?, 'test', ?, 'pending', ?, ?, ?)`,
  )
  const start = Date.UTC(2025, 0, 1)
  const expires = new Date(Date.UTC(2030, 0, 1)).toISOString()
  let middleId = ''
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = crypto.randomUUID()
      if (i === Math.floor(count / 2)) middleId = id
      const created = new Date(start + i * 1000).toISOString()
      insert.run(id, organizationId, `Link ${i}`, expires, created, created)
    }
  })
  for (let from = 0; from < count; from += 50_000) batch(from, Math.min(count, from + 50_000))
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  sqlite.exec('analyze')
  await db.destroy()
  return middleId
}

/**
 * GET-by-id and the first list page with a small and a large table: latency should not
 * grow with the table. Each is timed one request at a time (see probeLatency), after a
 * warm-up, and the ratio is of mean latencies.
 */
export async function benchScale(options: {
  workDir: string
  small: number
  large: number
  durationSeconds: number
}): Promise<ScaleSection> {
  const rows: ScaleRow[] = []
  for (const count of [options.small, options.large]) {
    const databaseUrl = join(options.workDir, `scale-${count}.db`)
    const prepared = await prepareDatabase(databaseUrl)
    const linkId = await seedLinks(databaseUrl, prepared.organizationId, count)
    const api = await startApi(options.workDir, databaseUrl, { prepared })
    try {
      const headers = { authorization: `Bearer ${prepared.key}` }
      const measure = async (url: string) => {
        await probeLatency({ url, headers, durationSeconds: 1 })
        return probeLatency({ url, headers, durationSeconds: options.durationSeconds })
      }
      const byId = await measure(`${api.url}/v1/onboarding-links/${linkId}`)
      const list = await measure(`${api.url}/v1/onboarding-links?limit=50`)
      rows.push({
        links: count,
        getByIdMeanMs: byId.meanMs,
        getByIdP99Ms: byId.p99Ms,
        listFirstPageMeanMs: list.meanMs,
        listFirstPageP99Ms: list.p99Ms,
      })
    } finally {
      await api.process.stop()
    }
  }
  const [small, large] = rows as [ScaleRow, ScaleRow]
  return {
    rows,
    getByIdRatio: round(large.getByIdMeanMs / small.getByIdMeanMs),
    listRatio: round(large.listFirstPageMeanMs / small.listFirstPageMeanMs),
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}

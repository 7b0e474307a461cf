import { createDb, dialectOf, parseDatabaseUrl } from '@onboard/db'
import { sql } from 'kysely'
import { type BenchDatabase, type BenchDialect, benchDatabase } from './lib/database'
import { probeTimings, summarize } from './lib/probe'
import { pinToCpus } from './lib/processes'
import { prepareDatabase, type RunningApi, startApi } from './lib/service'

interface ScaleRow {
  links: number
  getByIdP50Ms: number
  getByIdMeanMs: number
  getByIdP99Ms: number
  listFirstPageP50Ms: number
  listFirstPageMeanMs: number
  listFirstPageP99Ms: number
}

export interface ScaleSection {
  rows: ScaleRow[]
  /** Of medians: what a request costs. */
  getByIdRatio: number
  listRatio: number
  /** Of means, which a few stalls of the machine or of the prober's own GC can swing. */
  getByIdMeanRatio: number
  listMeanRatio: number
}

/** Inserts `count` links for one organisation, in transactions of multi-row inserts. */
async function seedLinks(
  databaseUrl: string,
  organizationId: string,
  count: number,
): Promise<string> {
  const db = createDb(parseDatabaseUrl(databaseUrl))
  const start = Date.UTC(2025, 0, 1)
  const expires = new Date(Date.UTC(2030, 0, 1)).toISOString()
  let middleId = ''
  const rowsPerInsert = 500
  for (let from = 0; from < count; from += 50_000) {
    await db.transaction().execute(async (trx) => {
      for (let first = from; first < Math.min(count, from + 50_000); first += rowsPerInsert) {
        const rows = []
        for (let i = first; i < Math.min(count, first + rowsPerInsert); i++) {
          const id = crypto.randomUUID()
          if (i === Math.floor(count / 2)) middleId = id
          const created = new Date(start + i * 1000).toISOString()
          rows.push({
            id,
            organization_id: organizationId,
            mode: 'test' as const,
            name: `Link ${i}`,
            status: 'pending' as const,
            expires_at: expires,
            created_at: created,
            updated_at: created,
            allow_coexistence: 0,
          })
        }
        await trx.insertInto('onboarding_links').values(rows).execute()
      }
    })
  }
  if (dialectOf(db) === 'sqlite') {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db)
    await sql`analyze`.execute(db)
  } else {
    await sql`vacuum analyze onboarding_links`.execute(db)
  }
  await db.destroy()
  return middleId
}

/** Rounds of probing; the two tables take turns, so a slow moment of the machine hits both. */
const ROUNDS = 5

/**
 * GET-by-id and the first list page with a small and a large table: latency should not
 * grow with the table. Both APIs run side by side and are probed in alternating rounds,
 * one request at a time (see probeTimings), after a warm-up. The goal's ratio is of
 * median latencies, the ratio of means is reported beside it: a few stalls (the machine,
 * the prober's own GC after the other sections) swung the means by 20 %. (Measuring one
 * table after the other let the machine's drift decide: 0.88 and 1.33 for one build.)
 */
export async function benchScale(options: {
  workDir: string
  dialect: BenchDialect
  small: number
  large: number
  durationSeconds: number
}): Promise<ScaleSection> {
  const tables: { count: number; api: RunningApi; linkId: string }[] = []
  const databases: BenchDatabase[] = []
  try {
    for (const count of [options.small, options.large]) {
      const database = await benchDatabase(options.dialect, options.workDir, `scale_${count}`)
      databases.push(database)
      const databaseUrl = database.url
      const prepared = await prepareDatabase(databaseUrl)
      const linkId = await seedLinks(databaseUrl, prepared.organizationId, count)
      const api = await startApi(options.workDir, databaseUrl, { prepared })
      // Both APIs on one core and the prober on another: where the scheduler put each
      // (beside the prober or not) otherwise moved one-at-a-time latency more than the
      // table size does.
      pinToCpus(api.process.child.pid, 'last')
      tables.push({ count, linkId, api })
    }
    const targets = tables.map(({ api, linkId }) => {
      const headers = { authorization: `Bearer ${api.key}` }
      return {
        byId: { url: `${api.url}/v1/onboarding-links/${linkId}`, headers },
        list: { url: `${api.url}/v1/onboarding-links?limit=50`, headers },
      }
    })
    const samples = targets.map(() => ({ byId: [] as number[], list: [] as number[] }))
    pinToCpus(process.pid, 'first')
    for (const target of targets) {
      await probeTimings({ ...target.byId, durationSeconds: 1 })
      await probeTimings({ ...target.list, durationSeconds: 1 })
    }
    const slice = options.durationSeconds / ROUNDS
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, target] of targets.entries()) {
        const into = samples[index] as { byId: number[]; list: number[] }
        into.byId.push(...(await probeTimings({ ...target.byId, durationSeconds: slice })))
        into.list.push(...(await probeTimings({ ...target.list, durationSeconds: slice })))
      }
    }
    const rows = tables.map(({ count }, index): ScaleRow => {
      const { byId, list } = samples[index] as { byId: number[]; list: number[] }
      const byIdResult = summarize(byId)
      const listResult = summarize(list)
      return {
        links: count,
        getByIdP50Ms: byIdResult.p50Ms,
        getByIdMeanMs: byIdResult.meanMs,
        getByIdP99Ms: byIdResult.p99Ms,
        listFirstPageP50Ms: listResult.p50Ms,
        listFirstPageMeanMs: listResult.meanMs,
        listFirstPageP99Ms: listResult.p99Ms,
      }
    })
    const [small, large] = rows as [ScaleRow, ScaleRow]
    return {
      rows,
      getByIdRatio: round(large.getByIdP50Ms / small.getByIdP50Ms),
      listRatio: round(large.listFirstPageP50Ms / small.listFirstPageP50Ms),
      getByIdMeanRatio: round(large.getByIdMeanMs / small.getByIdMeanMs),
      listMeanRatio: round(large.listFirstPageMeanMs / small.listFirstPageMeanMs),
    }
  } finally {
    pinToCpus(process.pid, 'all')
    for (const { api } of tables) await api.process.stop()
    for (const database of databases) await database.drop()
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}

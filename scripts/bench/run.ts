import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { benchApi } from './api'
import { benchScale } from './scale'

/**
 * `pnpm bench [--quick]`: every number is a ratio against a bare baseline measured in the
 * same run on the same machine. Goals are for this report only, never for tests.
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string' },
    'large-links': { type: 'string' },
    only: { type: 'string' },
  },
})
const quick = values.quick ?? false
const connections = Number(values.connections)
const durationSeconds = Number(values.duration ?? (quick ? 3 : 10))
const sections = new Set((values.only ?? 'api,scale').split(','))

const workDir = mkdtempSync(join(tmpdir(), 'onboard-bench-'))
const machine = {
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  memoryGb: Math.round(totalmem() / 1024 ** 3),
  node: process.version,
  date: new Date().toISOString(),
}
const report: Record<string, unknown> = { machine, connections, durationSeconds }

try {
  if (sections.has('api')) {
    const api = await benchApi({
      workDir,
      connections,
      durationSeconds,
      warmupSeconds: quick ? 1 : 3,
    })
    report.api = api
    console.log('\nAPI vs bare Hono (same connections, same run)')
    console.table(
      api.rows.map((r) => ({
        endpoint: r.name,
        'api req/s': r.api.requestsPerSecond,
        'api p50 ms': r.api.p50Ms,
        'api p99 ms': r.api.p99Ms,
        'bare req/s': r.bare.requestsPerSecond,
        ratio: r.ratio,
        goal: r.goal ? `≥ ${r.goal}` : '—',
        errors: r.api.errors + r.api.non2xx,
      })),
    )
    console.log(`API peak RSS: ${api.apiPeakRssMb} MB (goal ≤ 150 MB)`)
  }
  if (sections.has('scale')) {
    const large = Number(values['large-links'] ?? (quick ? 100_000 : 1_000_000))
    const scale = await benchScale({ workDir, small: 1_000, large, durationSeconds: quick ? 2 : 5 })
    report.scale = scale
    console.log(`\nScale: 1,000 vs ${large.toLocaleString('en')} links`)
    console.table(scale.rows)
    console.log(
      `large/small latency: get by id ${scale.getByIdRatio}, list ${scale.listRatio} (goal ≤ 1.2)`,
    )
  }
} finally {
  rmSync(workDir, { recursive: true, force: true })
}

mkdirSync('bench-results', { recursive: true })
const file = join('bench-results', `bench-${machine.date.replace(/[:.]/g, '-')}.json`)
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
writeFileSync(join('bench-results', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
console.log(`\nWritten to ${file}`)

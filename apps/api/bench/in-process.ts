import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMetaApps, createOrganization, links, loadConfig, openCore } from '@onboard/core'
import { createViews } from '@onboard/views'
import { pino } from 'pino'
import { createApp } from '../src/app'

/**
 * `node --import tsx apps/api/bench/in-process.ts [--cpu-prof]`: the app without a socket,
 * through `app.request`, so what the HTTP layer costs can be told from what the app costs.
 * Prints µs per request for a few routes; logs go to /dev/null as JSON, as in production.
 */
const dir = mkdtempSync(join(tmpdir(), 'onboard-inproc-'))
const loaded = loadConfig({
  DATABASE_URL: join(dir, 'db.sqlite'),
  ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  LOG_LEVEL: 'info',
})
if (!loaded.ok) throw new Error(loaded.message)
const opened = await openCore(loaded.config)
const org = await createOrganization(opened.core, { name: 'In-process bench' })
const tenant = { organizationId: org.organization.id, mode: 'test' as const }
const metaApps = createMetaApps(loaded.config, {
  graphUrl: 'http://127.0.0.1:1/__sandbox/graph',
  appId: 'x',
  appSecret: 'x',
  systemUserToken: 'x',
})
const rules = { metaApps, webhookTargets: loaded.config.webhooks }
const link = await links.createOnboardingLink(opened.core, rules, tenant, { name: 'Bench' })
for (let i = 0; i < 200; i++) {
  await links.createOnboardingLink(opened.core, rules, tenant, { name: `Bench ${i}` })
}
const app = createApp({
  config: loaded.config,
  core: opened.core,
  logger: pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false })),
  views: createViews(),
  pingRedis: async () => true,
  metaApps,
})

const auth = { authorization: `Bearer ${org.keys.test}` }
const cases: [string, () => Promise<Response> | Response][] = [
  ['GET /healthz', () => app.request('/healthz')],
  [
    'GET /v1/onboarding-links/:id',
    () => app.request(`/v1/onboarding-links/${link.id}`, { headers: auth }),
  ],
  [
    'GET /v1/onboarding-links?limit=50',
    () => app.request('/v1/onboarding-links?limit=50', { headers: auth }),
  ],
  ['GET /signup/:id', () => app.request(`/signup/${link.id}`)],
  [
    'POST /v1/onboarding-links',
    () =>
      app.request('/v1/onboarding-links', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Bench Corp', metadata: { customerId: 'c-1' } }),
      }),
  ],
]
const iterations = Number(process.env.ITERATIONS ?? 5000)
const only = process.env.ONLY
for (const [name, request] of cases) {
  if (only && !name.includes(only)) continue
  for (let i = 0; i < 500; i++) await (await request()).arrayBuffer()
  const started = performance.now()
  for (let i = 0; i < iterations; i++) {
    const res = await request()
    await res.arrayBuffer()
    if (res.status >= 300) throw new Error(`${name}: ${res.status}`)
  }
  console.log(`${name}: ${Math.round(((performance.now() - started) * 1000) / iterations)} µs`)
}
await opened.close()
rmSync(dir, { recursive: true, force: true })

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { listenAsDeadRedis } from '../../../workers/webhooks/test/support/dead-redis'
import { waitFor } from '../../../workers/webhooks/test/support/receiver'
import { freePort, type RunningProcess, runApiOnFreePort, runEntry } from './support/processes'
import { readBody, readData } from './support/responses'

describe('the API process', () => {
  const started: RunningProcess[] = []
  const dirs: string[] = []
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'api-process-'))
    dirs.push(dir)
    return dir
  }
  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.stop()))
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('on first start creates a default organisation and prints a curl that works as pasted', async () => {
    const { api, port } = await runApiOnFreePort({ DATABASE_URL: join(tempDir(), 'onboarding.db') })
    started.push(api)
    const output = api.output()
    const key = output.match(/Bearer (sk_org_test_\w+)/)?.[1]
    const body = output.match(/-d '(\{.*\})'/)?.[1]
    expect(key).toBeDefined()
    expect(body).toBeDefined()
    expect(output).toContain(`curl -s -X POST http://localhost:${port}/v1/onboarding-links`)
    const res = await fetch(`http://127.0.0.1:${port}/v1/onboarding-links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    })
    expect(res.status).toBe(201)
    const data = await readData(res, 'link')
    expect(data.hostedUrl).toBe(`http://localhost:${port}/signup/${data.id}`)
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200)
    // JSON log lines carry the request id.
    await api.waitFor(/"requestId":"req_[^"]+".*"path":"\/v1\/onboarding-links"/)
  })

  it('does not create a second default organisation on restart', async () => {
    const dbPath = join(tempDir(), 'onboarding.db')
    const first = runEntry('apps/api/src/main.ts', [], {
      PORT: String(await freePort()),
      DATABASE_URL: dbPath,
    })
    started.push(first)
    await first.waitFor(/API listening/)
    expect(first.output()).toContain('First start')
    // …and says how to create the console's first user, for the organisation it made.
    const orgId = first.output().match(/organization id: (\S+)/)?.[1]
    expect(first.output()).toContain(
      `pnpm cli user create --org ${orgId} --email you@example.com --password-stdin`,
    )
    await first.stop()
    const second = runEntry('apps/api/src/main.ts', [], {
      PORT: String(await freePort()),
      DATABASE_URL: dbPath,
    })
    started.push(second)
    await second.waitFor(/API listening/)
    expect(second.output()).not.toContain('First start')
    // Nobody can sign in to the console yet, so the hint is repeated.
    expect(second.output()).toContain('pnpm cli user create --org <organizationId>')
  })

  it('stops with one line naming an invalid variable', async () => {
    const api = runEntry('apps/api/src/main.ts', [], {
      PORT: 'eighty',
      DATABASE_URL: join(tempDir(), 'x.db'),
    })
    started.push(api)
    expect(await api.exited).toBe(1)
    const lines = api.output().trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^Invalid configuration: PORT /)
  })

  it('says in one line that Redis is unreachable, keeps serving, and reports not ready', async () => {
    const redis = await listenAsDeadRedis()
    const { api, port } = await runApiOnFreePort({
      DATABASE_URL: join(tempDir(), 'onboarding.db'),
      REDIS_URL: redis.url,
    })
    started.push(api)
    try {
      await api.waitFor(/Redis is not reachable/)
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
      expect(ready.status).toBe(503)
      expect((await readBody<{ checks: Record<string, string> }>(ready)).checks).toEqual({
        database: 'ok',
        redis: 'down',
      })
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
      expect(api.output().match(/Redis is not reachable/g)).toHaveLength(1)
      // Its clients keep trying: a few more failed reconnects after the line say nothing new.
      const reported = redis.attempts()
      await waitFor('more reconnect attempts', () => redis.attempts() >= reported + 2, 20_000)
      expect(api.output().match(/Redis is not reachable/g)).toHaveLength(1)
      expect(api.output()).not.toMatch(/\n\s+at /)
    } finally {
      await redis.close()
    }
  })
})

describe('a bad DATABASE_URL stops every entry with one line naming it and the reason', () => {
  const key = Buffer.alloc(32, 7).toString('base64')
  const entries = [
    ['apps/api/src/main.ts'],
    ['workers/webhooks/src/main.ts'],
    ['scripts/all-in-one.ts'],
    ['scripts/run-service.ts', 'api'],
  ]
  it.each([
    [
      'unreachable PostgreSQL',
      async () => `postgres://postgres:pw-not-printed@127.0.0.1:${await freePort()}/onboard`,
      /^Invalid configuration: DATABASE_URL cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/onboard: nothing accepts connections there/,
    ],
    [
      'wrong credentials',
      async () => 'postgres://no_such_role:pw-not-printed@127.0.0.1:5432/postgres',
      /^Invalid configuration: DATABASE_URL cannot connect to PostgreSQL at 127\.0\.0\.1:5432\/postgres: the server refused the credentials/,
    ],
    [
      'a URL of another scheme',
      async () => 'mysql://root:pw-not-printed@127.0.0.1:3306/onboard',
      /^Invalid configuration: DATABASE_URL has the scheme "mysql:"/,
    ],
  ])(
    '%s',
    async (_case, databaseUrl, expected) => {
      const env = {
        DATABASE_URL: await databaseUrl(),
        ENCRYPTION_KEY: key,
        PORT: String(await freePort()),
        METRICS_PORT: '0',
      }
      const runs = entries.map(([entry, ...args]) => runEntry(entry ?? '', args, env))
      try {
        for (const run of runs) {
          expect(await run.exited).toBe(1)
          const lines = run.output().trim().split('\n')
          expect(lines, run.output()).toHaveLength(1)
          expect(lines[0]).toMatch(expected)
          expect(lines[0]).not.toContain('pw-not-printed')
        }
      } finally {
        await Promise.all(runs.map((run) => run.stop()))
      }
    },
    60_000,
  )
})

describe('the CLI', () => {
  it('creates organisations and keys, lists and revokes them, printing JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'))
    const env = { DATABASE_URL: join(dir, 'onboarding.db') }
    const cli = async (...args: string[]) => {
      const run = runEntry('apps/api/src/cli.ts', args, env)
      const code = await run.exited
      return { code, out: run.output().trim() }
    }
    try {
      const created = await cli('org', 'create', '--name', 'Acme', '--json')
      expect(created.code).toBe(0)
      const org = JSON.parse(created.out)
      expect(org.organization).toEqual({ id: expect.any(String), name: 'Acme' })
      expect(org.keys.test).toMatch(/^sk_org_test_[0-9A-Za-z]{33}$/)
      expect(org.keys.live).toMatch(/^sk_org_live_[0-9A-Za-z]{33}$/)

      const key = JSON.parse(
        (await cli('key', 'create', '--org', org.organization.id, '--mode', 'live', '--json')).out,
      )
      expect(key.key).toMatch(/^sk_org_live_/)
      expect(key.mode).toBe('live')

      const listed = JSON.parse(
        (await cli('key', 'list', '--org', org.organization.id, '--json')).out,
      )
      expect(listed.keys).toHaveLength(3)
      expect(JSON.stringify(listed)).not.toContain(org.keys.test)

      const revoked = JSON.parse((await cli('key', 'revoke', key.id, '--json')).out)
      expect(revoked.key.revokedAt).toEqual(expect.any(String))

      const bad = await cli('key', 'create', '--org', org.organization.id, '--mode', 'staging')
      expect(bad.code).toBe(2)
      expect(bad.out).toContain('--mode test or --mode live')
      const unknown = await cli('key', 'list', '--org', 'no-such-org')
      expect(unknown.code).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    // Six CLI processes, each starting tsx and opening the database: seconds apiece.
  }, 90_000)
})

import { readFileSync } from 'node:fs'
import { purgeExpiredIdempotencyKeys } from '@onboard/core'
import { sql } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import type { TestApi } from './support/harness'

/**
 * Everything the database holds: on SQLite every byte on disk (the main file and its
 * write-ahead log, where a deleted or updated row may linger), on PostgreSQL every row of
 * every table as text.
 */
async function everythingStored(api: TestApi): Promise<string> {
  const url = api.database.databaseUrl
  if (api.database.dialect === 'sqlite') {
    return [url, `${url}-wal`]
      .map((file) => {
        try {
          return readFileSync(file).toString('latin1')
        } catch {
          return ''
        }
      })
      .join('')
  }
  const tables = await api.core.db.introspection.getTables()
  const dumps = await Promise.all(
    tables.map((table) =>
      sql<{ row: string }>`select t::text as row from ${sql.table(table.name)} t`.execute(
        api.core.db,
      ),
    ),
  )
  return dumps.flatMap((dump) => dump.rows.map((r) => r.row)).join('\n')
}

describe('idempotency records: no secret at rest, purged after 24 h', () => {
  const start = new Date('2026-11-22T12:00:00.000Z')
  const api = useTestApi({ scope: 'test' })
  beforeEach(() => api.database.setNow(start))
  const org = useOrganization(api, { scope: 'test' })

  const post = (path: string, key: string, json?: unknown) =>
    api.request(path, { method: 'POST', key: org.test, json, headers: { 'idempotency-key': key } })
  const rows = () => api.core.db.selectFrom('idempotency_keys').selectAll().execute()

  it('stores no plaintext secret, and the replay is byte-identical', async () => {
    const first = await post('/v1/outgoing-webhooks', 'create-1', {
      url: 'https://a.example/h',
      events: ['message.sent'],
    })
    expect(first.status).toBe(201)
    const firstText = await first.text()
    const created = JSON.parse(firstText).data
    const rotated = await post(`/v1/outgoing-webhooks/${created.id}/rotate-secret`, 'rotate-1')
    const rotatedText = await rotated.text()
    const link = await post('/v1/onboarding-links', 'link-1', {
      name: 'Acme',
      webhookUrl: 'https://a.example/link-hook',
      webhookEvents: ['phone_number.connected'],
      webhookSecret: 'whsec_my_own_link_secret_42',
    })
    const linkText = await link.text()

    const secrets = [
      created.secret,
      JSON.parse(rotatedText).data.secret,
      'whsec_my_own_link_secret_42',
    ]
    const stored = await rows()
    expect(stored).toHaveLength(3)
    for (const row of stored) {
      expect(row.response_body).toMatch(/^v2\./)
      for (const secret of secrets) expect(row.response_body).not.toContain(secret)
    }
    const everything = await everythingStored(api)
    for (const secret of secrets) expect(everything).not.toContain(secret)

    for (const [path, key, body, text] of [
      [
        '/v1/outgoing-webhooks',
        'create-1',
        { url: 'https://a.example/h', events: ['message.sent'] },
        firstText,
      ],
      [`/v1/outgoing-webhooks/${created.id}/rotate-secret`, 'rotate-1', undefined, rotatedText],
      [
        '/v1/onboarding-links',
        'link-1',
        {
          name: 'Acme',
          webhookUrl: 'https://a.example/link-hook',
          webhookEvents: ['phone_number.connected'],
          webhookSecret: 'whsec_my_own_link_secret_42',
        },
        linkText,
      ],
    ] as const) {
      const replay = await post(path, key, body)
      expect(replay.headers.get('idempotent-replayed')).toBe('true')
      expect(await replay.text()).toBe(text)
    }
  })

  it('is purged once its 24 h window has passed, not before', async () => {
    await post('/v1/outgoing-webhooks', 'create-1', {
      url: 'https://a.example/h',
      events: ['message.sent'],
    })
    api.database.setNow(new Date(start.getTime() + 23 * 3600_000))
    await post('/v1/outgoing-webhooks', 'create-2', {
      url: 'https://a.example/h2',
      events: ['message.sent'],
    })
    api.database.setNow(new Date(start.getTime() + 24 * 3600_000 + 1))
    expect(await purgeExpiredIdempotencyKeys(api.core, { batchSize: 100 })).toBe(1)
    expect((await rows()).map((row) => row.key)).toEqual(['create-2'])
    api.database.setNow(new Date(start.getTime() + 48 * 3600_000))
    expect(await purgeExpiredIdempotencyKeys(api.core, { batchSize: 100 })).toBe(1)
    expect(await rows()).toEqual([])
  })

  it('purges in bounded batches', async () => {
    for (let i = 0; i < 5; i++) {
      await post('/v1/outgoing-webhooks', `create-${i}`, {
        url: `https://a.example/h${i}`,
        events: ['message.sent'],
      })
      api.database.setNow(new Date(start.getTime() + (i + 1) * 1000))
    }
    api.database.setNow(new Date(start.getTime() + 25 * 3600_000))
    expect(await purgeExpiredIdempotencyKeys(api.core, { batchSize: 2 })).toBe(2)
    expect(await rows()).toHaveLength(3)
    expect(await purgeExpiredIdempotencyKeys(api.core, { batchSize: 2 })).toBe(2)
    expect(await purgeExpiredIdempotencyKeys(api.core, { batchSize: 2 })).toBe(1)
    expect(await rows()).toEqual([])
  })
})

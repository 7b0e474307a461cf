import {
  createKeyring,
  createOrganization,
  ENCRYPTED_COLUMNS,
  links,
  loadConfig,
  openCore,
  outgoingWebhooks,
  sealIdempotentResponse,
  type Tenant,
} from '@onboard/core'
import {
  createTestDatabase,
  encryptLegacySecret,
  insertConnectedPhone,
  type TestDatabase,
  testCreationRules,
} from '@onboard/core/testing'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runEntry } from './support/processes'

const K1 = Buffer.alloc(32, 11).toString('base64')
const K2 = Buffer.alloc(32, 12).toString('base64')
const K3 = Buffer.alloc(32, 13).toString('base64')

describe('rotating ENCRYPTION_KEY', () => {
  // A fresh database of the dialect under test; each step opens it anew with other keys.
  let database: TestDatabase
  let file: string
  beforeEach(async () => {
    database = await createTestDatabase()
    file = database.databaseUrl
  })
  afterEach(async () => {
    await database.close()
  })

  const open = async (env: Record<string, string>) => {
    const loaded = loadConfig({ DATABASE_URL: file, ...env })
    if (!loaded.ok) throw new Error(loaded.message)
    return openCore(loaded.config)
  }
  const cli = async (env: Record<string, string>) => {
    const run = runEntry('apps/api/src/cli.ts', ['secrets', 'reencrypt', '--json'], {
      DATABASE_URL: file,
      ...env,
    })
    const code = await run.exited
    return { code, out: JSON.parse(run.output().trim()) }
  }
  /** Every stored secret, column by column, as the raw text in the database. */
  const storedSecrets = async () => {
    const rows = []
    for (const spec of ENCRYPTED_COLUMNS) {
      const column = sql.ref(spec.column)
      const found = await sql<{
        value: string
      }>`select ${column} as value from ${sql.table(spec.table)}
        where ${column} is not null and ${column} <> ''`.execute(database.core.db)
      rows.push(
        ...found.rows.map((row) => ({ where: `${spec.table}.${spec.column}`, value: row.value })),
      )
    }
    return rows
  }

  /** Stores one secret of every kind under K1, a legacy (v1) one and a plaintext response. */
  async function storeUnderK1() {
    const first = await open({ ENCRYPTION_KEY: K1 })
    const { core } = first
    const created = await createOrganization(core, { name: 'Acme' })
    const tenant: Tenant = { organizationId: created.organization.id, mode: 'test' }
    const endpoint = await outgoingWebhooks.createOutgoingWebhook(
      core,
      testCreationRules().webhookTargets,
      tenant,
      {
        url: 'https://a.example/h',
        events: ['message.sent'],
      },
    )
    const rotated = await outgoingWebhooks.rotateOutgoingWebhookSecret(
      core,
      tenant,
      endpoint.id,
      {},
    )
    await links.createOnboardingLink(core, testCreationRules(), tenant, {
      name: 'Link',
      webhookUrl: 'https://a.example/link',
      webhookEvents: ['phone_number.connected'],
      webhookSecret: 'whsec_link_secret_0123456789',
    })
    const phone = await insertConnectedPhone(core, tenant)
    await core.db
      .updateTable('phone_numbers')
      .set({ pin_enc: core.keyring.encrypt('246810') })
      .where('id', '=', phone.phoneId)
      .execute()
    // Written before key ids existed: v1 under the raw key.
    const legacy = await outgoingWebhooks.createOutgoingWebhook(
      core,
      testCreationRules().webhookTargets,
      tenant,
      {
        url: 'https://a.example/legacy',
        events: ['message.sent'],
      },
    )
    await core.db
      .updateTable('outgoing_webhooks')
      .set({
        secret_enc: encryptLegacySecret(Buffer.from(K1, 'base64'), 'whsec_legacy_secret_abcdef'),
      })
      .where('id', '=', legacy.id)
      .execute()
    const idempotency = (key: string, body: string) => ({
      organization_id: tenant.organizationId,
      mode: 'test' as const,
      key,
      request_hash: 'h',
      response_status: 201,
      response_body: body,
      created_at: core.now().toISOString(),
    })
    await core.db
      .insertInto('idempotency_keys')
      .values([
        idempotency(
          'sealed',
          sealIdempotentResponse(core, '{"data":{"secret":"whsec_in_response"}}'),
        ),
        idempotency('before-encryption', '{"data":{"secret":"whsec_plain_response"}}'),
      ])
      .execute()
    await first.close()
    return [
      endpoint.secret,
      rotated.secret,
      'whsec_link_secret_0123456789',
      'EAAfixture',
      '246810',
      'whsec_legacy_secret_abcdef',
      '{"data":{"secret":"whsec_in_response"}}',
      '{"data":{"secret":"whsec_plain_response"}}',
    ]
  }

  it('reads with the previous key after a restart on K2, and the CLI moves every secret to K2', async () => {
    const expected = await storeUnderK1()

    const second = await open({ ENCRYPTION_KEY: K2, ENCRYPTION_KEY_PREVIOUS: K1 })
    const before = await storedSecrets()
    expect(before).toHaveLength(8)
    const read = (value: string) =>
      value.startsWith('{') ? value : second.core.keyring.decrypt(value)
    expect(before.map((row) => read(row.value)).sort()).toEqual([...expected].sort())
    await second.close()

    const run = await cli({ ENCRYPTION_KEY: K2, ENCRYPTION_KEY_PREVIOUS: K1 })
    expect(run.code).toBe(0)
    expect(run.out.failures).toEqual([])
    const moved = run.out.columns.reduce(
      (sum: number, c: { reencrypted: number }) => sum + c.reencrypted,
      0,
    )
    expect(moved).toBe(8)

    // K2 alone now reads everything, every value in the current format under K2's id.
    const k2Only = createKeyring(Buffer.from(K2, 'base64'))
    const after = await storedSecrets()
    for (const row of after) expect(k2Only.isCurrent(row.value), row.where).toBe(true)
    expect(after.map((row) => k2Only.decrypt(row.value)).sort()).toEqual([...expected].sort())
    for (const row of after) {
      for (const secret of expected) expect(row.value).not.toContain(secret)
    }

    const again = await cli({ ENCRYPTION_KEY: K2 })
    expect(again.code).toBe(0)
    expect(again.out.columns.every((c: { reencrypted: number }) => c.reencrypted === 0)).toBe(true)
  })

  it('names what no configured key decrypts and exits non-zero, changing nothing else', async () => {
    await storeUnderK1()
    const run = await cli({ ENCRYPTION_KEY: K3 })
    expect(run.code).toBe(1)
    expect(run.out.failures.length).toBe(7)
    expect(run.out.failures[0]).toMatchObject({
      table: 'onboarding_links',
      column: 'webhook_secret_enc',
      reason: expect.stringMatching(/neither ENCRYPTION_KEY nor in ENCRYPTION_KEY_PREVIOUS/),
    })
    const k1 = createKeyring(Buffer.from(K1, 'base64'))
    const values = await storedSecrets()
    // Still readable under K1: the failed run did not touch them. The plaintext response was
    // encrypted under K3 (it needed no key to read).
    const unreadable = values.filter((row) => {
      try {
        k1.decrypt(row.value)
        return false
      } catch {
        return true
      }
    })
    expect(unreadable.map((row) => row.where)).toEqual(['idempotency_keys.response_body'])
  })
})

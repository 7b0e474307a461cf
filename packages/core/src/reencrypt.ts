import { encryptedColumnsStore } from '@onboard/db'
import type { CoreContext } from './context'
import { isEncryptedSecret } from './secrets'

/**
 * Every column that holds a secret at rest, with the key that finds its row. A new encrypted
 * column must be added here, or `secrets reencrypt` would leave it under the old key.
 */
export const ENCRYPTED_COLUMNS = [
  { table: 'onboarding_links', key: ['id'], column: 'webhook_secret_enc' },
  { table: 'wabas', key: ['id'], column: 'access_token_enc' },
  { table: 'phone_numbers', key: ['id'], column: 'pin_enc' },
  { table: 'outgoing_webhooks', key: ['id'], column: 'secret_enc' },
  { table: 'outgoing_webhooks', key: ['id'], column: 'previous_secret_enc' },
  // Stored responses; rows written before they were encrypted hold plain JSON.
  {
    table: 'idempotency_keys',
    key: ['organization_id', 'mode', 'key'],
    column: 'response_body',
    plaintextAllowed: true,
  },
] as const

interface ReencryptedColumn {
  table: string
  column: string
  /** Rows moved to the current key (from a previous key, the legacy format, or plaintext). */
  reencrypted: number
  alreadyCurrent: number
  /** Rows no configured key decrypts: left as they are, named in `failures`. */
  failed: number
}

export interface ReencryptResult {
  columns: ReencryptedColumn[]
  failures: { table: string; column: string; key: string[]; reason: string }[]
}

type KeyedValue = encryptedColumnsStore.KeyedValue

/**
 * Re-encrypts every stored secret with the current key (ENCRYPTION_KEY), reading it with
 * whichever key its id names (or, for the legacy format, the raw configured keys). Walks each
 * table in key order, `batchSize` rows per read, one transaction per batch; a row changed
 * meanwhile by a request (its ciphertext no longer the one read) is left to that request,
 * which wrote it with the current key. Safe to run again at any time.
 */
export async function reencryptSecrets(
  ctx: CoreContext,
  options: { batchSize?: number } = {},
): Promise<ReencryptResult> {
  const batchSize = options.batchSize ?? 500
  const result: ReencryptResult = { columns: [], failures: [] }
  for (const spec of ENCRYPTED_COLUMNS) {
    const counts: ReencryptedColumn = {
      table: spec.table,
      column: spec.column,
      reencrypted: 0,
      alreadyCurrent: 0,
      failed: 0,
    }
    let after: string[] | undefined
    for (;;) {
      const rows = await encryptedColumnsStore.pageOfValues(ctx.db, spec, {
        after,
        limit: batchSize,
      })
      if (rows.length === 0) break
      const updates: { key: string[]; from: string; to: string }[] = []
      for (const row of rows) {
        const key = spec.key.map((name) => String(row[name]))
        if (ctx.keyring.isCurrent(row.value)) {
          counts.alreadyCurrent += 1
          continue
        }
        try {
          const plaintext = isEncryptedSecret(row.value)
            ? ctx.keyring.decrypt(row.value)
            : 'plaintextAllowed' in spec
              ? row.value
              : failNotEncrypted()
          updates.push({ key, from: row.value, to: ctx.keyring.encrypt(plaintext) })
        } catch (error) {
          counts.failed += 1
          result.failures.push({
            table: spec.table,
            column: spec.column,
            key,
            reason: (error as Error).message,
          })
        }
      }
      if (updates.length > 0) {
        await ctx.db.transaction().execute(async (trx) => {
          for (const update of updates) {
            counts.reencrypted += await encryptedColumnsStore.replaceValue(trx, spec, update)
          }
        })
      }
      const last = rows[rows.length - 1] as KeyedValue
      after = spec.key.map((name) => String(last[name]))
      if (rows.length < batchSize) break
    }
    result.columns.push(counts)
  }
  return result
}

function failNotEncrypted(): never {
  throw new Error('The value is not encrypted')
}

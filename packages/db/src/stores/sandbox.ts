import type { Kysely, Transaction } from 'kysely'
import type { Db } from '../create-db'
import { isPostgres } from '../dialect'

/**
 * Test mode's fake Meta (packages/meta-sandbox) keeps what it issued in these tables, so a
 * signup played through one API replica completes through another. Their rows are the
 * sandbox's own; the rest of the service never reads them.
 */
type SandboxTables = {
  sandbox_signups: {
    id: string
    code: string | null
    code_exchanged_at: string | null
    created_at: string
    data: string
  }
  sandbox_tokens: {
    token: string
    signup_id: string
    created_at: string
    data: string
  }
  sandbox_assets: {
    id: string
    kind: SandboxAssetKind
    signup_id: string | null
    phone_number: string | null
    created_at: string
    updated_at: string
    data: string
  }
}

export type SandboxAssetKind = 'business' | 'waba' | 'phone'

/** The JSON each row carries, as the sandbox defines it. */
export interface SandboxShapes {
  signup: object
  token: object
  business: object
  waba: object
  phone: object
}

export type SandboxAsset<S extends SandboxShapes> =
  | { kind: 'business'; data: S['business'] }
  | { kind: 'waba'; data: S['waba'] }
  | { kind: 'phone'; data: S['phone'] }

export interface SandboxSignupRow<S extends SandboxShapes> {
  id: string
  codeExchanged: boolean
  data: S['signup']
}

type SandboxDb = Kysely<SandboxTables>

const parse = <T>(text: string): T => JSON.parse(text) as T

/**
 * The sandbox's state. Writes that read first (a phone's register budget, a WABA's
 * subscriptions) lock the row on PostgreSQL and run under SQLite's write lock, and a code's
 * single use is a conditional update: two replicas cannot both win.
 */
export function createSandboxStore<S extends SandboxShapes>(database: Db) {
  const db: SandboxDb = database.withTables<SandboxTables>() as unknown as SandboxDb
  const locking = isPostgres(database)

  async function lockedAsset(trx: Transaction<SandboxTables>, kind: SandboxAssetKind, id: string) {
    let query = trx
      .selectFrom('sandbox_assets')
      .select('data')
      .where('id', '=', id)
      .where('kind', '=', kind)
    if (locking) query = query.forUpdate()
    return query.executeTakeFirst()
  }

  return {
    /** Adds an asset unless its id is taken; false when it was. */
    async insertAsset<K extends SandboxAssetKind>(
      kind: K,
      asset: { id: string; signupId: string | null; phoneNumber?: string; data: S[K] },
      at: Date,
    ): Promise<boolean> {
      const result = await db
        .insertInto('sandbox_assets')
        .values({
          id: asset.id,
          kind,
          signup_id: asset.signupId,
          phone_number: asset.phoneNumber ?? null,
          created_at: at.toISOString(),
          updated_at: at.toISOString(),
          data: JSON.stringify(asset.data),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst()
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
    },

    async asset(id: string): Promise<SandboxAsset<S> | undefined> {
      const row = await db
        .selectFrom('sandbox_assets')
        .select(['kind', 'data'])
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? ({ kind: row.kind, data: parse(row.data) } as SandboxAsset<S>) : undefined
    },

    /** The assets of one kind with these ids, in the order of `ids` (missing ones left out). */
    async assets<K extends SandboxAssetKind>(kind: K, ids: readonly string[]): Promise<S[K][]> {
      if (ids.length === 0) return []
      const rows = await db
        .selectFrom('sandbox_assets')
        .select(['id', 'data'])
        .where('kind', '=', kind)
        .where('id', 'in', ids)
        .execute()
      const byId = new Map(rows.map((row) => [row.id, parse<S[K]>(row.data)]))
      return ids.flatMap((id) => {
        const found = byId.get(id)
        return found ? [found] : []
      })
    },

    /**
     * Reads an asset, lets `change` compute its new data, and writes it back in one
     * transaction; undefined when there is no such asset. `change` may throw to write nothing.
     */
    async updateAsset<K extends SandboxAssetKind>(
      kind: K,
      id: string,
      change: (data: S[K]) => S[K],
      at: Date,
    ): Promise<S[K] | undefined> {
      return db.transaction().execute(async (trx) => {
        const row = await lockedAsset(trx, kind, id)
        if (!row) return undefined
        const next = change(parse<S[K]>(row.data))
        await trx
          .updateTable('sandbox_assets')
          .set({ data: JSON.stringify(next), updated_at: at.toISOString() })
          .where('id', '=', id)
          .execute()
        return next
      })
    },

    async isIdTaken(id: string): Promise<boolean> {
      const row = await db
        .selectFrom('sandbox_assets')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst()
      return row !== undefined
    },

    async isPhoneNumberTaken(e164: string): Promise<boolean> {
      const row = await db
        .selectFrom('sandbox_assets')
        .select('id')
        .where('phone_number', '=', e164)
        .executeTakeFirst()
      return row !== undefined
    },

    async insertSignup(signup: {
      id: string
      code: string | null
      data: S['signup']
      at: Date
    }): Promise<void> {
      await db
        .insertInto('sandbox_signups')
        .values({
          id: signup.id,
          code: signup.code,
          code_exchanged_at: null,
          created_at: signup.at.toISOString(),
          data: JSON.stringify(signup.data),
        })
        .execute()
    },

    async signupByCode(code: string): Promise<SandboxSignupRow<S> | undefined> {
      const row = await db
        .selectFrom('sandbox_signups')
        .select(['id', 'code_exchanged_at', 'data'])
        .where('code', '=', code)
        .executeTakeFirst()
      return row
        ? { id: row.id, codeExchanged: row.code_exchanged_at !== null, data: parse(row.data) }
        : undefined
    },

    async signupCount(): Promise<number> {
      const row = await db
        .selectFrom('sandbox_signups')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow()
      return Number(row.count)
    },

    /**
     * Spends a signup's code and records the token it bought, together; false when the code
     * was already spent (by this replica or another).
     */
    async exchangeCode(
      signupId: string,
      token: { token: string; data: S['token'] },
      at: Date,
    ): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const spent = await trx
          .updateTable('sandbox_signups')
          .set({ code_exchanged_at: at.toISOString() })
          .where('id', '=', signupId)
          .where('code_exchanged_at', 'is', null)
          .executeTakeFirst()
        if (Number(spent.numUpdatedRows) === 0) return false
        await trx
          .insertInto('sandbox_tokens')
          .values({
            token: token.token,
            signup_id: signupId,
            created_at: at.toISOString(),
            data: JSON.stringify(token.data),
          })
          .execute()
        return true
      })
    },

    async token(token: string): Promise<S['token'] | undefined> {
      const row = await db
        .selectFrom('sandbox_tokens')
        .select('data')
        .where('token', '=', token)
        .executeTakeFirst()
      return row ? parse(row.data) : undefined
    },

    /** Forgets every token issued, as if their signups had been pruned. */
    async deleteTokens(): Promise<void> {
      await db.deleteFrom('sandbox_tokens').execute()
    },

    /**
     * Forgets signups created before `createdBefore`, then the oldest beyond `keep` (never
     * `keepId`, the one just played), with the tokens and assets they created.
     */
    async prune(limits: { createdBefore: Date; keep: number; keepId: string }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const expired = await trx
          .selectFrom('sandbox_signups')
          .select('id')
          .where('created_at', '<', limits.createdBefore.toISOString())
          .where('id', '!=', limits.keepId)
          .execute()
        const { count } = await trx
          .selectFrom('sandbox_signups')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow()
        const excess = Number(count) - expired.length - limits.keep
        const oldest =
          excess > 0
            ? await trx
                .selectFrom('sandbox_signups')
                .select('id')
                .where('created_at', '>=', limits.createdBefore.toISOString())
                .where('id', '!=', limits.keepId)
                .orderBy('created_at')
                .orderBy('id')
                .limit(excess)
                .execute()
            : []
        const ids = [...expired, ...oldest].map((row) => row.id)
        if (ids.length === 0) return
        await trx.deleteFrom('sandbox_tokens').where('signup_id', 'in', ids).execute()
        await trx.deleteFrom('sandbox_assets').where('signup_id', 'in', ids).execute()
        await trx.deleteFrom('sandbox_signups').where('id', 'in', ids).execute()
      })
    },
  }
}

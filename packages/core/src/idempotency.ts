import type { CoreContext } from './context'
import { isEncryptedSecret } from './secrets'

/** How long an Idempotency-Key replays its first response (Stripe's 24 hours). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000

/**
 * Stored responses are encrypted: some hold a secret shown once (an endpoint's `secret`, a
 * link's `webhookSecret`). Every response is, which is simpler than knowing which ones do.
 */
export function sealIdempotentResponse(ctx: CoreContext, body: string): string {
  return ctx.keyring.encrypt(body)
}

/** The stored response as it was sent; rows written before encryption hold plain JSON. */
export function openIdempotentResponse(ctx: CoreContext, stored: string): string {
  return isEncryptedSecret(stored) ? ctx.keyring.decrypt(stored) : stored
}

/**
 * Deletes up to `batchSize` records whose window has passed, oldest first, and returns how
 * many went. A record past its window is never replayed (a reuse claims the key anew), so
 * nothing reads it again. Portable SQL: the batch is bounded by the creation time of its last
 * row rather than by rowid.
 */
export async function purgeExpiredIdempotencyKeys(
  ctx: CoreContext,
  options: { batchSize: number },
): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - IDEMPOTENCY_WINDOW_MS).toISOString()
  const last = await ctx.db
    .selectFrom('idempotency_keys')
    .select('created_at')
    .where('created_at', '<', cutoff)
    .orderBy('created_at', 'asc')
    .limit(1)
    .offset(options.batchSize - 1)
    .executeTakeFirst()
  const result = await ctx.db
    .deleteFrom('idempotency_keys')
    .where('created_at', last ? '<=' : '<', last?.created_at ?? cutoff)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

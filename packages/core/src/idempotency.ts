import { idempotencyStore } from '@onboard/db'
import type { CoreContext } from './context'
import { isEncryptedSecret } from './secrets'

/** How long an Idempotency-Key replays its first response (Stripe's 24 hours). */
const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000

/**
 * Stored responses are encrypted: some hold a secret shown once (an endpoint's `secret`, a
 * link's `webhookSecret`). Every response is, which is simpler than knowing which ones do.
 */
export function sealIdempotentResponse(ctx: CoreContext, body: string): string {
  return ctx.keyring.encrypt(body)
}

/** The stored response as it was sent; rows written before encryption hold plain JSON. */
function openIdempotentResponse(ctx: CoreContext, stored: string): string {
  return isEncryptedSecret(stored) ? ctx.keyring.decrypt(stored) : stored
}

/**
 * Deletes up to `batchSize` records whose window has passed, oldest first, and returns how
 * many went. A record past its window is never replayed (a reuse claims the key anew), so
 * nothing reads it again.
 */
export async function purgeExpiredIdempotencyKeys(
  ctx: CoreContext,
  options: { batchSize: number },
): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - IDEMPOTENCY_WINDOW_MS).toISOString()
  return idempotencyStore.deleteCreatedBefore(ctx.db, cutoff, options.batchSize)
}

export type IdempotencyScope = idempotencyStore.IdempotencyScope
const IN_PROGRESS = 0

/** What a POST with an Idempotency-Key finds: nothing to replay, a replay, or a refusal. */
export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'reused' }
  | { kind: 'in_progress' }

/**
 * Claims the key for this request before the handler runs, so two concurrent requests with
 * one key cannot both create; or answers with the stored response (same request within the
 * window) or a refusal (another request, or the first still running).
 */
export async function claimIdempotencyKey(
  ctx: CoreContext,
  scope: IdempotencyScope,
  requestHash: string,
): Promise<IdempotencyClaim> {
  const now = ctx.now()
  const existing = await idempotencyStore.findRecord(ctx.db, scope)
  if (existing && now.getTime() - Date.parse(existing.created_at) < IDEMPOTENCY_WINDOW_MS) {
    if (existing.request_hash !== requestHash) return { kind: 'reused' }
    if (existing.response_status === IN_PROGRESS) return { kind: 'in_progress' }
    return {
      kind: 'replay',
      status: existing.response_status,
      body: openIdempotentResponse(ctx, existing.response_body),
    }
  }
  const claimed = await idempotencyStore.claimRecord(
    ctx.db,
    {
      ...scope,
      request_hash: requestHash,
      response_status: IN_PROGRESS,
      response_body: '',
      created_at: now.toISOString(),
    },
    new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS).toISOString(),
  )
  return claimed ? { kind: 'claimed' } : { kind: 'in_progress' }
}

/** Forgets a claim (the request failed), so a retry with the same key can still succeed. */
export async function releaseIdempotencyKey(
  ctx: CoreContext,
  scope: IdempotencyScope,
): Promise<void> {
  await idempotencyStore.deleteRecord(ctx.db, scope)
}

/** Keeps the response (encrypted) for replays of the same request. */
export async function saveIdempotentResponse(
  ctx: CoreContext,
  scope: IdempotencyScope,
  response: { status: number; body: string },
): Promise<void> {
  await idempotencyStore.saveResponse(ctx.db, scope, {
    status: response.status,
    body: sealIdempotentResponse(ctx, response.body),
  })
}

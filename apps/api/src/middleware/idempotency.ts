import {
  AppError,
  type CoreContext,
  claimIdempotencyKey,
  type IdempotencyClaim,
  type IdempotencyScope,
  isAppError,
  releaseIdempotencyKey,
  saveIdempotentResponse,
  sha256Hex,
} from '@onboard/core'
import type { Context, MiddlewareHandler, Next } from 'hono'
import type { AppEnv } from '../lib/env'

/**
 * Stripe-style Idempotency-Key on POSTs: the same key and request within 24 h replays the
 * stored response; the same key with another request is a 409. The key is claimed before
 * the handler runs, so two concurrent requests with one key cannot both create. The stored
 * response is encrypted (it may carry a secret), and the worker deletes records past 24 h.
 * Unlike Stripe, a refusal that changed nothing releases the key; an error that did change
 * something (`keepsIdempotencyKey`) is kept like a success.
 */
export function idempotency(core: CoreContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key')
    if (c.req.method !== 'POST' || key === undefined) return next()
    assertKeyLength(key)
    const tenant = c.var.tenant
    const requestHash = sha256Hex(`${c.req.method} ${c.req.path}\n${await c.req.text()}`)
    const scope = { organization_id: tenant.organizationId, mode: tenant.mode, key }

    const claim = await claimIdempotencyKey(core, scope, requestHash)
    if (claim.kind === 'replay') {
      c.header('Idempotent-Replayed', 'true')
      return c.body(claim.body, claim.status as 200, { 'Content-Type': 'application/json' })
    }
    assertClaimed(claim)
    await runAndRemember(core, scope, c, next)
  }
}

function assertKeyLength(key: string): void {
  if (key.length < 1 || key.length > 255) {
    throw new AppError('invalid_idempotency_key', 400, 'Idempotency-Key must be 1-255 characters.')
  }
}

/** A key used with another request, or whose first request is still running, is a 409. */
function assertClaimed(claim: Exclude<IdempotencyClaim, { kind: 'replay' }>): void {
  if (claim.kind === 'reused') {
    throw new AppError(
      'idempotency_key_reused',
      409,
      'This Idempotency-Key was already used with a different request.',
    )
  }
  if (claim.kind === 'in_progress') {
    throw new AppError(
      'idempotency_key_in_use',
      409,
      'A request with this Idempotency-Key is still in progress.',
    )
  }
}

/** Runs the handler on a claimed key and stores its response, or releases the key. */
async function runAndRemember(
  core: CoreContext,
  scope: IdempotencyScope,
  c: Context<AppEnv>,
  next: Next,
): Promise<void> {
  const release = () => releaseIdempotencyKey(core, scope)
  try {
    await next()
  } catch (error) {
    await release()
    throw error
  }
  // An error after the request began to act (a send whose outcome Meta never gave) is
  // its final answer: kept and replayed, so a retry never repeats what may have happened.
  if (isAppError(c.error) && c.error.keepsIdempotencyKey) {
    await saveIdempotentResponse(core, scope, {
      status: c.res.status,
      body: await c.res.clone().text(),
    })
    return
  }
  // Other errors (validation, refusals that changed nothing, server errors) are not
  // remembered, so a corrected or later retry with the same key can still succeed.
  if (c.res.status >= 500 || c.error) {
    await release()
    return
  }
  const body = await c.res.clone().text()
  await saveIdempotentResponse(core, scope, { status: c.res.status, body })
}

import {
  AppError,
  type CoreContext,
  openIdempotentResponse,
  sealIdempotentResponse,
  sha256Hex,
  IDEMPOTENCY_WINDOW_MS as WINDOW_MS,
} from '@onboard/core'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../lib/env'

const IN_PROGRESS = 0

/**
 * Stripe-style Idempotency-Key on POSTs: the same key and request within 24 h replays the
 * stored response; the same key with another request is a 409. The key is claimed before
 * the handler runs, so two concurrent requests with one key cannot both create. The stored
 * response is encrypted (it may carry a secret), and the worker deletes records past 24 h.
 */
export function idempotency(core: CoreContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key')
    if (c.req.method !== 'POST' || key === undefined) return next()
    if (key.length < 1 || key.length > 255) {
      throw new AppError(
        'invalid_idempotency_key',
        400,
        'Idempotency-Key must be 1-255 characters.',
      )
    }
    const tenant = c.var.tenant
    const requestHash = sha256Hex(`${c.req.method} ${c.req.path}\n${await c.req.text()}`)
    const scope = { organization_id: tenant.organizationId, mode: tenant.mode, key }
    const now = core.now()

    const existing = await core.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('organization_id', '=', scope.organization_id)
      .where('mode', '=', scope.mode)
      .where('key', '=', key)
      .executeTakeFirst()
    if (existing && now.getTime() - Date.parse(existing.created_at) < WINDOW_MS) {
      if (existing.request_hash !== requestHash) {
        throw new AppError(
          'idempotency_key_reused',
          409,
          'This Idempotency-Key was already used with a different request.',
        )
      }
      if (existing.response_status === IN_PROGRESS) {
        throw new AppError(
          'idempotency_key_in_use',
          409,
          'A request with this Idempotency-Key is still in progress.',
        )
      }
      c.header('Idempotent-Replayed', 'true')
      return c.body(
        openIdempotentResponse(core, existing.response_body),
        existing.response_status as 200,
        {
          'Content-Type': 'application/json',
        },
      )
    }

    const claimed = await core.db
      .insertInto('idempotency_keys')
      .values({
        ...scope,
        request_hash: requestHash,
        response_status: IN_PROGRESS,
        response_body: '',
        created_at: now.toISOString(),
      })
      .onConflict((oc) =>
        oc
          .columns(['organization_id', 'mode', 'key'])
          .doUpdateSet({
            request_hash: requestHash,
            response_status: IN_PROGRESS,
            response_body: '',
            created_at: now.toISOString(),
          })
          .where(
            'idempotency_keys.created_at',
            '<',
            new Date(now.getTime() - WINDOW_MS).toISOString(),
          ),
      )
      .executeTakeFirst()
    if (claimed.numInsertedOrUpdatedRows === 0n) {
      throw new AppError(
        'idempotency_key_in_use',
        409,
        'A request with this Idempotency-Key is still in progress.',
      )
    }

    const release = () =>
      core.db
        .deleteFrom('idempotency_keys')
        .where('organization_id', '=', scope.organization_id)
        .where('mode', '=', scope.mode)
        .where('key', '=', key)
        .execute()
    try {
      await next()
    } catch (error) {
      await release()
      throw error
    }
    // Server errors are not remembered, so a retry with the same key can still succeed.
    if (c.res.status >= 500 || c.error) {
      await release()
      return
    }
    const body = await c.res.clone().text()
    await core.db
      .updateTable('idempotency_keys')
      .set({ response_status: c.res.status, response_body: sealIdempotentResponse(core, body) })
      .where('organization_id', '=', scope.organization_id)
      .where('mode', '=', scope.mode)
      .where('key', '=', key)
      .execute()
  }
}

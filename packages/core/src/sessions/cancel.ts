import type { CoreContext, Tenant } from '../context'
import { sessionErrors } from './errors'
import { findSessionRow, getSession } from './read'
import type { Session } from './schemas'
import { effectiveSessionStatus } from './status'

/**
 * DELETE …/sessions/:id: a pending session is cancelled (its URL stops working) and kept as a
 * record; a session that already ended stays as it is; a completed one is a 409.
 */
export async function cancelSession(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
): Promise<Session> {
  const row = await findSessionRow(ctx, tenant, id)
  const status = effectiveSessionStatus(row, ctx.now())
  if (status === 'completed') throw sessionErrors.alreadyCompleted()
  if (status === 'pending') {
    const now = ctx.now().toISOString()
    // The status guard makes a cancel racing a completion lose cleanly.
    const result = await ctx.db
      .updateTable('signup_sessions')
      .set({ status: 'cancelled', updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    if (result.numUpdatedRows === 0n) {
      const current = await findSessionRow(ctx, tenant, id)
      if (current.status === 'completed') throw sessionErrors.alreadyCompleted()
    }
  }
  return getSession(ctx, tenant, id)
}

import { sessionsStore } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { findSessionRow } from './read'

/**
 * DELETE …/sessions/:id, as Chirp's "Delete Session": the session is erased in whatever
 * status (a later GET and its hosted URL are 404). The WABA and phones a completed session
 * connected are the organisation's and stay; nothing else refers to the session row, and a
 * completion racing the delete finds no row to mark and rolls back.
 */
export async function deleteSession(ctx: CoreContext, tenant: Tenant, id: string): Promise<void> {
  // Another organisation's or mode's id is a 404 here, before anything is touched.
  await findSessionRow(ctx, tenant, id)
  await sessionsStore.deleteOwnedSession(ctx.db, tenant, id)
}

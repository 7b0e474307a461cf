import { sessionsStore } from '@onboard/db'
import { addSeconds } from '../clock'
import type { CoreContext, Tenant } from '../context'
import { newPrefixedId } from '../ids'
import { assertSignupAvailable, type MetaApps } from '../meta-apps'
import { type CreatedSession, type CreateSessionInput, SESSION_TTL_SECONDS } from './schemas'
import { sessionUrlOf } from './status'

/** POST /v1/organization/embedded-signup/sessions: a 15-minute, one-time hosted signup URL. */
export async function createSession(
  ctx: CoreContext,
  metaApps: MetaApps,
  tenant: Tenant,
  input: CreateSessionInput,
): Promise<CreatedSession> {
  assertSignupAvailable(metaApps, tenant.mode)
  const now = ctx.now()
  const id = newPrefixedId('wss')
  const expiresAt = addSeconds(now, SESSION_TTL_SECONDS).toISOString()
  await sessionsStore.insertSession(ctx.db, {
    id,
    organization_id: tenant.organizationId,
    mode: tenant.mode,
    redirect_uri: input.redirect_uri,
    state: input.state,
    metadata: input.metadata === undefined ? null : JSON.stringify(input.metadata),
    prefill: input.prefill === undefined ? null : JSON.stringify(input.prefill),
    status: 'pending',
    expires_at: expiresAt,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    completed_at: null,
    completed_via: null,
    error_code: null,
    error_message: null,
    waba_id: null,
    phone_number_id: null,
  })
  return { id, url: sessionUrlOf(ctx.publicBaseUrl, id), expires_at: expiresAt }
}

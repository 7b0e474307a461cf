import { endpointsStore } from '@onboard/db'
import { generateWebhookSecret } from '@onboard/webhooks'
import { addSeconds } from '../clock'
import type { CoreContext, Tenant } from '../context'
import { encryptSecret } from '../secrets'
import { findOutgoingWebhookRow } from './endpoints'
import type { OutgoingWebhook, RotateSecretInput } from './schemas'
import { toOutgoingWebhook } from './serialize'

/** How long the replaced secret keeps signing beside the new one (Svix's and Outpost's default). */
export const PREVIOUS_SECRET_GRACE_SECONDS = 24 * 3600

/**
 * Replaces the signing secret. For 24 h both secrets sign every delivery (two `v1,` entries
 * in `webhook-signature`), so receivers can switch without dropping a webhook. Rotating
 * again inside that window replaces the previous secret: only one old secret is kept.
 */
export async function rotateOutgoingWebhookSecret(
  ctx: CoreContext,
  tenant: Tenant,
  id: string,
  input: RotateSecretInput,
): Promise<OutgoingWebhook> {
  const row = await findOutgoingWebhookRow(ctx, tenant, id)
  const now = ctx.now()
  const secret = input.secret ?? generateWebhookSecret()
  const changes = {
    secret_enc: encryptSecret(ctx.keyring, secret),
    previous_secret_enc: row.secret_enc,
    previous_secret_expires_at: addSeconds(now, PREVIOUS_SECRET_GRACE_SECONDS).toISOString(),
    updated_at: now.toISOString(),
  }
  await endpointsStore.updateEndpoint(ctx.db, id, changes)
  return { ...toOutgoingWebhook({ ...row, ...changes }, now), secret }
}

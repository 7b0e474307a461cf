import { type MessageRow, messagesStore, type WabaRow } from '@onboard/db'
import type { SentMessage } from '@onboard/meta'
import type { CoreContext, Tenant } from '../context'
import { AppError } from '../errors'
import { newSortableId } from '../ids'
import type { MetaApp, MetaApps } from '../meta-apps'
import { storedSendBlockers } from '../phones/health'
import { findPhoneRows } from '../phones/read'
import { decryptSecret } from '../secrets'
import { metaFailure } from './meta-failures'
import type { SendMessageRequest, SentMessageView } from './schemas'

/** The mode's Meta app; live mode without one cannot reach Meta at all. */
export function metaAppFor(metaApps: MetaApps, mode: Tenant['mode']): MetaApp {
  const app = metaApps.forMode(mode)
  if (app) return app
  throw new AppError(
    'meta_not_configured',
    409,
    'Live mode is not configured on this service: its operator must set META_APP_ID, META_APP_SECRET and META_CONFIG_ID and restart it.',
  )
}

/** A Graph call with the WABA's business token, its failures as the API errors they mean. */
export async function withBusinessToken<T>(
  ctx: CoreContext,
  waba: WabaRow,
  call: (token: string) => Promise<T>,
): Promise<T> {
  try {
    return await call(decryptSecret(ctx.keyring, waba.access_token_enc))
  } catch (error) {
    throw await metaFailure(ctx, waba, error)
  }
}

/**
 * POST /v1/phones/:id/messages. The phone must be the tenant's (404 otherwise) and able to
 * send by what we know of it (409 naming the first blocking health issue, before Meta is
 * called); the body goes to Meta as given, with the phone's business token, and the message
 * is stored once Meta accepted it. A retry with the same Idempotency-Key replays this answer
 * (the API's middleware), so it never sends twice.
 */
export async function sendMessage(
  ctx: CoreContext,
  metaApps: MetaApps,
  tenant: Tenant,
  phoneId: string,
  request: SendMessageRequest,
): Promise<SentMessageView> {
  const { phone, waba } = await findPhoneRows(ctx, tenant, phoneId)
  const app = metaAppFor(metaApps, phone.mode)
  const [blocker] = storedSendBlockers(phone, waba)
  if (blocker) throw new AppError(blocker.code, 409, blocker.message)

  const body = { ...request, messaging_product: 'whatsapp' as const }
  const sent: SentMessage = await withBusinessToken(ctx, waba, (token) =>
    app.client.sendMessage(phone.meta_phone_number_id, body, token),
  )
  const now = ctx.now().toISOString()
  const row: MessageRow = {
    id: newSortableId('wmsg'),
    organization_id: phone.organization_id,
    mode: phone.mode,
    phone_number_id: phone.id,
    waba_id: waba.id,
    wamid: sent.wamid,
    recipient: request.to,
    wa_id: sent.waId,
    type: request.type,
    body: JSON.stringify(body),
    status: 'accepted',
    error: null,
    created_at: now,
    updated_at: now,
  }
  await messagesStore.insertMessage(ctx.db, row)
  return {
    id: row.id,
    wamid: row.wamid,
    to: row.recipient,
    type: request.type,
    status: 'accepted',
    createdAt: now,
  }
}

import { type MessageRow, messagesStore, type WabaRow } from '@onboard/db'
import { isMetaError, type SentMessage } from '@onboard/meta'
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

type SendingPhone = Awaited<ReturnType<typeof findPhoneRows>>

/** A stored message, as it will be sent or was sent. */
function messageRow(
  ctx: CoreContext,
  { phone, waba }: SendingPhone,
  request: SendMessageRequest,
  body: Record<string, unknown>,
  outcome: { wamid: string | null; waId: string | null; status: 'accepted' | 'unknown' },
): MessageRow {
  const now = ctx.now().toISOString()
  return {
    id: newSortableId('wmsg'),
    organization_id: phone.organization_id,
    mode: phone.mode,
    phone_number_id: phone.id,
    waba_id: waba.id,
    wamid: outcome.wamid,
    recipient: request.to,
    wa_id: outcome.waId,
    type: request.type,
    body: JSON.stringify(body),
    status: outcome.status,
    error: null,
    created_at: now,
    updated_at: now,
  }
}

/**
 * Meta may have taken a message it did not answer for (a timeout or reset after the request
 * left, a 5xx): the send is stored as `unknown` and the answer says so, naming it. The error
 * keeps the Idempotency-Key, so a retry with it replays this answer instead of sending again
 * (as Stripe keeps a key once a request began to act). Without a wamid Meta's status
 * webhooks cannot be matched to the message: it stays `unknown`.
 */
async function outcomeUnknown(
  ctx: CoreContext,
  rows: SendingPhone,
  request: SendMessageRequest,
  body: Record<string, unknown>,
): Promise<AppError> {
  const row = messageRow(ctx, rows, request, body, { wamid: null, waId: null, status: 'unknown' })
  await messagesStore.insertMessage(ctx.db, row)
  return new AppError(
    'meta_outcome_unknown',
    503,
    `Meta did not answer whether it took this message, so it may or may not be delivered. It is stored as ${row.id} with status "unknown". A retry with the same Idempotency-Key replays this answer; a retry without one sends the message again.`,
    undefined,
    { messageId: row.id, keepsIdempotencyKey: true },
  )
}

/**
 * POST /v1/phones/:id/messages. The phone must be the tenant's (404 otherwise) and able to
 * send by what we know of it (409 naming the first blocking health issue, before Meta is
 * called); the body goes to Meta as given, with the phone's business token, and the message
 * is stored once Meta accepted it, or as `unknown` when Meta's answer never came. A retry
 * with the same Idempotency-Key replays this answer (the API's middleware), so it never
 * sends twice. Meta's definite refusals store nothing and release the key (nothing was
 * sent, so a retry once the cause is fixed may use the same key).
 */
export async function sendMessage(
  ctx: CoreContext,
  metaApps: MetaApps,
  tenant: Tenant,
  phoneId: string,
  request: SendMessageRequest,
): Promise<SentMessageView> {
  const rows = await findPhoneRows(ctx, tenant, phoneId)
  const { phone, waba } = rows
  const app = metaAppFor(metaApps, phone.mode)
  const [blocker] = storedSendBlockers(phone, waba)
  if (blocker) throw new AppError(blocker.code, 409, blocker.message)

  const body = { ...request, messaging_product: 'whatsapp' as const }
  const sent: SentMessage = await withBusinessToken(ctx, waba, async (token) => {
    try {
      return await app.client.sendMessage(phone.meta_phone_number_id, body, token)
    } catch (error) {
      if (isMetaError(error) && error.ambiguous)
        throw await outcomeUnknown(ctx, rows, request, body)
      throw error
    }
  })
  const row = messageRow(ctx, rows, request, body, {
    wamid: sent.wamid,
    waId: sent.waId,
    status: 'accepted',
  })
  await messagesStore.insertMessage(ctx.db, row)
  return {
    id: row.id,
    wamid: sent.wamid,
    to: row.recipient,
    type: request.type,
    status: 'accepted',
    createdAt: row.created_at,
  }
}

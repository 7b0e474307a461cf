import { randomBytes } from 'node:crypto'
import type { SandboxState } from '../state'
import type { EmitRequest } from './schemas'

/** The partner's (our) business portfolio id: what `entry[].id` is in partner events. */
const SANDBOX_PARTNER_BUSINESS_ID = '394857261039485'

/** What an emitted webhook is about: the WABA and, for a number's events, the number. */
export interface EmitSubject {
  wabaId: string
  phoneNumberId: string | null
}

export type BuiltWebhook =
  | { ok: true; payload: object; about: EmitSubject }
  | { ok: false; message: string }

const digits = (text: string) => text.replace(/\D/g, '')
const wamid = () => `wamid.${randomBytes(30).toString('base64')}`

function envelope(entryId: string, field: string, value: object, time?: number) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: entryId, ...(time === undefined ? {} : { time }), changes: [{ value, field }] }],
  }
}

/** The phone's WABA and Meta's display form of its number, from the sandbox or the request. */
async function phoneFacts(state: SandboxState, request: EmitRequest) {
  if (!request.phoneNumberId) return null
  const phone = await state.phone(request.phoneNumberId)
  const wabaId = request.wabaId ?? phone?.wabaId
  if (!wabaId) return null
  return {
    phoneNumberId: request.phoneNumberId,
    wabaId,
    // Meta's metadata shows the number as bare digits, e.g. 15550783881.
    display: phone ? digits(phone.e164) : request.phoneNumberId,
  }
}

/** Meta's exact JSON for one webhook (shapes from Meta's webhook reference). */
export async function buildMetaWebhook(
  state: SandboxState,
  appId: string,
  request: EmitRequest,
  nowMs: number,
): Promise<BuiltWebhook> {
  const seconds = Math.floor(nowMs / 1000)
  if (
    request.kind === 'inbound_text' ||
    request.kind === 'status' ||
    request.kind === 'quality_update'
  ) {
    const phone = await phoneFacts(state, request)
    if (!phone) {
      return {
        ok: false,
        message: `${request.kind} needs phoneNumberId of a sandbox phone, or phoneNumberId and wabaId`,
      }
    }
    const about = { wabaId: phone.wabaId, phoneNumberId: phone.phoneNumberId }
    if (request.kind === 'quality_update') {
      return {
        ok: true,
        about,
        payload: envelope(
          phone.wabaId,
          'phone_number_quality_update',
          {
            display_phone_number: phone.display,
            event: request.qualityEvent,
            current_limit: 'TIER_1K',
          },
          seconds,
        ),
      }
    }
    const metadata = { display_phone_number: phone.display, phone_number_id: phone.phoneNumberId }
    const value =
      request.kind === 'inbound_text'
        ? {
            messaging_product: 'whatsapp',
            metadata,
            contacts: [{ profile: { name: request.profileName }, wa_id: request.from }],
            messages: [
              {
                from: request.from,
                id: request.messageId ?? wamid(),
                timestamp: String(seconds),
                type: 'text',
                text: { body: request.text },
              },
            ],
          }
        : { messaging_product: 'whatsapp', metadata, statuses: [statusOf(request, seconds)] }
    return { ok: true, about, payload: envelope(phone.wabaId, 'messages', value) }
  }

  const wabaId =
    request.wabaId ??
    (request.phoneNumberId ? (await state.phone(request.phoneNumberId))?.wabaId : undefined)
  if (!wabaId) return { ok: false, message: `${request.kind} needs wabaId` }
  const event = request.kind.toUpperCase()
  const ownerBusinessId = (await state.waba(wabaId))?.businessId
  const wabaInfo = {
    waba_id: wabaId,
    ...(ownerBusinessId ? { owner_business_id: ownerBusinessId } : {}),
    // partner_app_id only on the app (un)install events, as in Meta's reference.
    ...(event === 'PARTNER_APP_INSTALLED' || event === 'PARTNER_APP_UNINSTALLED'
      ? { partner_app_id: appId }
      : {}),
  }
  const value = {
    event,
    waba_info: wabaInfo,
    ...(event === 'PARTNER_REMOVED' && request.disconnectionReason
      ? { disconnection_info: { reason: request.disconnectionReason, initiated_by: 'USER' } }
      : {}),
  }
  return {
    ok: true,
    about: { wabaId, phoneNumberId: null },
    payload: envelope(SANDBOX_PARTNER_BUSINESS_ID, 'account_update', value, seconds),
  }
}

function statusOf(request: EmitRequest, seconds: number) {
  return messageStatus(
    {
      messageId: request.messageId ?? wamid(),
      status: request.status,
      recipient: request.from,
      errorCode: 131047,
    },
    seconds,
  )
}

export type StatusName = 'sent' | 'delivered' | 'read' | 'failed'

/** One of a sent message's statuses: `failed` carries `errorCode`'s error, the others pricing. */
export interface StatusItem {
  messageId: string
  status: StatusName
  /** The recipient's WhatsApp id (digits). */
  recipient: string
  errorCode?: number
}

const STATUS_ERRORS: Record<number, { title: string; details: string }> = {
  131047: {
    title: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131026: {
    title: 'Message undeliverable',
    details:
      'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number.',
  },
}

function messageStatus(item: StatusItem, seconds: number) {
  const error = STATUS_ERRORS[item.errorCode ?? 131026] ?? STATUS_ERRORS[131026]
  return {
    id: item.messageId,
    status: item.status,
    timestamp: String(seconds),
    recipient_id: item.recipient,
    ...(item.status === 'failed'
      ? {
          errors: [
            {
              code: item.errorCode ?? 131026,
              title: error?.title,
              message: error?.title,
              error_data: { details: error?.details },
            },
          ],
        }
      : {
          pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'service' },
        }),
  }
}

/** Meta's `field: messages` webhook carrying one status of a message a phone sent. */
export function statusWebhook(
  phone: { id: string; wabaId: string; e164: string },
  item: StatusItem,
  nowMs: number,
) {
  const metadata = { display_phone_number: digits(phone.e164), phone_number_id: phone.id }
  const value = {
    messaging_product: 'whatsapp',
    metadata,
    statuses: [messageStatus(item, Math.floor(nowMs / 1000))],
  }
  return envelope(phone.wabaId, 'messages', value)
}

/** A fresh Meta message id. */
export function newWamid(): string {
  return wamid()
}

/** JSON the way Meta writes it: non-ASCII characters escaped (`\u00e4`), which signatures cover. */
export function metaJson(payload: object): string {
  return JSON.stringify(payload).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

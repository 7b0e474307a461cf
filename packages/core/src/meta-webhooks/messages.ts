import type { EventType } from '@onboard/webhooks'
import { recordMessageStatus } from '../messages/statuses'
import { claimItem, concern, emit, type Processing } from './receipt-transaction'
import { phoneByMetaId, phoneIds, type RoutedPhone } from './routing'
import {
  contactSchema,
  inboundMessageSchema,
  type MessageStatus,
  type MetaEntry,
  messageStatusSchema,
  messagesValueSchema,
} from './schemas'

/** Meta's message statuses we relay; others (e.g. `played` for voice) are noted, not sent. */
const STATUS_EVENTS: Record<string, EventType> = {
  sent: 'message.sent',
  delivered: 'message.delivered',
  read: 'message.read',
  failed: 'message.failed',
}

function statusEventType(status: string): EventType | undefined {
  return STATUS_EVENTS[status.toLowerCase()]
}

/**
 * `field: messages`: each inbound message becomes `message.received` and each status
 * `message.sent|delivered|read|failed`, for the one connected phone of ours with
 * `metadata.phone_number_id` (its owner alone). An item an earlier receipt handled is skipped.
 */
export async function handleMessagesChange(
  p: Processing,
  entry: MetaEntry,
  value: unknown,
): Promise<void> {
  const parsed = messagesValueSchema.safeParse(value)
  if (!parsed.success) {
    p.notes.push('a messages change without metadata.phone_number_id was ignored')
    return
  }
  const { metadata } = parsed.data
  const phone = await phoneByMetaId(p.trx, p.mode, metadata.phone_number_id, entry.id)
  if (!phone) {
    p.notes.push(`no connected phone number has Meta id ${metadata.phone_number_id}`)
    return
  }
  concern(p, phone.tenant.organizationId, [phone.metaPhoneNumberId, phone.metaWabaId])
  const contacts = (parsed.data.contacts ?? []).filter((c) => contactSchema.safeParse(c).success)

  for (const raw of parsed.data.messages ?? []) {
    const message = inboundMessageSchema.safeParse(raw)
    if (!message.success) {
      p.notes.push('a message without an id was ignored')
      continue
    }
    if (!(await claimItem(p, `message:${message.data.id}`))) continue
    const from = message.data.from
    // The sender's profile: Meta lists contacts beside the messages, matched by wa_id.
    const senders =
      from === undefined
        ? contacts
        : contacts.filter((c) => String((c as { wa_id?: unknown }).wa_id) === from)
    await emit(p, {
      tenant: phone.tenant,
      type: 'message.received',
      wabaId: phone.wabaId,
      data: {
        ...phoneIds(phone),
        displayPhoneNumber: metadata.display_phone_number ?? phone.displayPhoneNumber,
        message: message.data,
        contacts: senders,
      },
    })
  }

  for (const raw of parsed.data.statuses ?? []) {
    const status = messageStatusSchema.safeParse(raw)
    if (!status.success) {
      p.notes.push('a status without an id or status was ignored')
      continue
    }
    await relayStatus(p, status.data, phone, metadata.display_phone_number)
  }
}

async function relayStatus(
  p: Processing,
  status: MessageStatus,
  phone: RoutedPhone,
  displayPhoneNumber: string | undefined,
): Promise<void> {
  const type = statusEventType(status.status)
  if (!type) {
    p.notes.push(`status "${status.status}" is not relayed`)
    return
  }
  // A message goes sent → delivered → read: each step is its own item.
  if (!(await claimItem(p, `status:${status.id}:${status.status.toLowerCase()}`))) return
  // The message's stored history (GET /v1/messages/:id) as well as the event.
  const messageId = await recordMessageStatus(p.trx, {
    tenant: phone.tenant,
    phoneId: phone.phoneId,
    status,
    now: p.now,
  })
  await emit(p, {
    tenant: phone.tenant,
    type,
    wabaId: phone.wabaId,
    data: {
      ...phoneIds(phone),
      displayPhoneNumber: displayPhoneNumber ?? phone.displayPhoneNumber,
      // Ours when the message was sent through POST /v1/phones/:id/messages, else null.
      messageId,
      status,
    },
  })
}

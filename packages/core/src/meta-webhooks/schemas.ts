import { z } from 'zod'

// Meta's payloads, parsed leniently: unknown fields are kept (the message object is relayed
// as Meta sent it), unknown enum values are plain strings, and ids may be numbers or text.

const idText = z.union([z.string(), z.number()]).transform(String)

export const metaEnvelopeSchema = z.looseObject({
  object: z.string().optional(),
  entry: z.array(
    z.looseObject({
      /** The WABA id for messages and statuses; a partner's business id in partner events. */
      id: idText.optional(),
      /** Unix seconds (account_update). */
      time: z.number().optional(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).default([]),
    }),
  ),
})

export type MetaEnvelope = z.infer<typeof metaEnvelopeSchema>
export type MetaEntry = MetaEnvelope['entry'][number]

/** `field: messages`: items are validated one by one so one odd item cannot hide the rest. */
export const messagesValueSchema = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: z.looseObject({
    display_phone_number: idText.optional(),
    phone_number_id: idText,
  }),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
})

export const inboundMessageSchema = z.looseObject({
  id: z.string().min(1),
  // BSUID users may come without a phone-number `from` (2026 change).
  from: idText.optional(),
  timestamp: idText.optional(),
  type: z.string().optional(),
})

export const messageStatusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: idText.optional(),
  recipient_id: idText.optional(),
})

export type MessageStatus = z.infer<typeof messageStatusSchema>

export const contactSchema = z.looseObject({
  wa_id: idText.optional(),
  user_id: z.string().optional(),
})

export const accountUpdateValueSchema = z.looseObject({
  event: z.string().min(1),
  waba_info: z
    .looseObject({
      waba_id: idText,
      owner_business_id: idText.optional(),
      partner_app_id: idText.optional(),
      solution_id: idText.optional(),
    })
    .optional(),
  disconnection_info: z
    .looseObject({ reason: z.string().optional(), initiated_by: z.string().optional() })
    .optional(),
  restriction_info: z.array(z.unknown()).optional(),
  ban_info: z.looseObject({ waba_ban_state: z.string().optional() }).optional(),
})

export type AccountUpdateValue = z.infer<typeof accountUpdateValueSchema>

/** `field: phone_number_quality_update`: names the number, not its id; the entry is the WABA. */
export const qualityUpdateValueSchema = z.looseObject({
  display_phone_number: idText,
  event: z.string().min(1),
  current_limit: z.string().optional(),
})

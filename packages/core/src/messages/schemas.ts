import { z } from 'zod'

// The body of Meta's Cloud API `POST /{phone-number-id}/messages` for the common types, as
// Meta documents it (snake_case, Meta's limits), so a body written for Meta works here.

const RECIPIENT_MESSAGE =
  'must be a phone number in E.164 (+16505551234) or Meta’s digits form (16505551234)'

const recipientSchema = z
  .string()
  .regex(/^\+?[1-9]\d{6,14}$/, RECIPIENT_MESSAGE)
  .meta({ description: 'The customer’s number, E.164 or digits', example: '+16505551234' })

const linkSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048)
  .meta({ description: 'A public URL Meta downloads the media from' })

const mediaLink = z.strictObject({ link: linkSchema })
const captioned = z.strictObject({
  link: linkSchema,
  caption: z.string().min(1).max(1024).optional(),
})
const documentSchema = z.strictObject({
  link: linkSchema,
  caption: z.string().min(1).max(1024).optional(),
  filename: z.string().min(1).max(240).optional(),
})

const locationSchema = z.strictObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().min(1).max(1000).optional(),
  address: z.string().min(1).max(1000).optional(),
})

const parameterName = z.string().min(1).max(255).optional()

const templateParameterSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('text'),
      text: z.string().min(1).max(32_768),
      parameter_name: parameterName,
    }),
    z.strictObject({
      type: z.literal('currency'),
      currency: z.strictObject({
        fallback_value: z.string().min(1),
        code: z.string().length(3),
        amount_1000: z.number().int(),
      }),
      parameter_name: parameterName,
    }),
    z.strictObject({
      type: z.literal('date_time'),
      date_time: z.strictObject({ fallback_value: z.string().min(1) }),
      parameter_name: parameterName,
    }),
    z.strictObject({ type: z.literal('image'), image: mediaLink }),
    z.strictObject({ type: z.literal('video'), video: mediaLink }),
    z.strictObject({
      type: z.literal('document'),
      document: z.strictObject({
        link: linkSchema,
        filename: z.string().min(1).max(240).optional(),
      }),
    }),
    z.strictObject({ type: z.literal('location'), location: locationSchema }),
    z.strictObject({ type: z.literal('payload'), payload: z.string().min(1).max(256) }),
    z.strictObject({ type: z.literal('coupon_code'), coupon_code: z.string().min(1).max(15) }),
  ],
  {
    error:
      'must have a type of text, currency, date_time, image, video, document, location, payload or coupon_code',
  },
)

const templateComponentSchema = z.strictObject({
  type: z.enum(['header', 'body', 'button']),
  sub_type: z.enum(['quick_reply', 'url', 'copy_code', 'flow', 'catalog']).optional(),
  index: z.union([z.number().int().min(0).max(9), z.string().regex(/^\d$/)]).optional(),
  parameters: z.array(templateParameterSchema).max(100).optional(),
})

const templateSchema = z.strictObject({
  name: z.string().min(1).max(512).meta({ example: 'order_confirmation' }),
  language: z.strictObject({
    code: z.string().min(2).max(15).meta({ example: 'en_US' }),
    policy: z.literal('deterministic').optional(),
  }),
  components: z.array(templateComponentSchema).max(20).optional(),
})

const interactiveBody = z.strictObject({ text: z.string().min(1).max(1024) })
const interactiveFooter = z.strictObject({ text: z.string().min(1).max(60) })
const interactiveHeader = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(60) }),
    z.strictObject({ type: z.literal('image'), image: mediaLink }),
    z.strictObject({ type: z.literal('video'), video: mediaLink }),
    z.strictObject({ type: z.literal('document'), document: documentSchema }),
  ],
  { error: 'must have a type of text, image, video or document' },
)

const interactiveSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('button'),
      header: interactiveHeader.optional(),
      body: interactiveBody,
      footer: interactiveFooter.optional(),
      action: z.strictObject({
        buttons: z
          .array(
            z.strictObject({
              type: z.literal('reply'),
              reply: z.strictObject({
                id: z.string().min(1).max(256),
                title: z.string().min(1).max(20),
              }),
            }),
          )
          .min(1)
          .max(3),
      }),
    }),
    z.strictObject({
      type: z.literal('list'),
      header: z
        .strictObject({ type: z.literal('text'), text: z.string().min(1).max(60) })
        .optional(),
      body: interactiveBody,
      footer: interactiveFooter.optional(),
      action: z.strictObject({
        button: z.string().min(1).max(20),
        sections: z
          .array(
            z.strictObject({
              title: z.string().min(1).max(24).optional(),
              rows: z
                .array(
                  z.strictObject({
                    id: z.string().min(1).max(200),
                    title: z.string().min(1).max(24),
                    description: z.string().min(1).max(72).optional(),
                  }),
                )
                .min(1)
                .max(10),
            }),
          )
          .min(1)
          .max(10),
      }),
    }),
  ],
  { error: 'must have a type of button or list' },
)

/** What every message type shares. */
const envelope = {
  messaging_product: z
    .literal('whatsapp')
    .optional()
    .meta({ description: 'Meta’s required constant; added when left out' }),
  recipient_type: z.literal('individual').optional(),
  to: recipientSchema,
  context: z
    .strictObject({ message_id: z.string().min(1).max(256) })
    .optional()
    .meta({ description: 'Reply to this message (its wamid)' }),
  biz_opaque_callback_data: z
    .string()
    .max(512)
    .optional()
    .meta({ description: 'Meta echoes it in the message’s status webhooks' }),
}

const MESSAGE_TYPES = [
  'text',
  'template',
  'image',
  'document',
  'audio',
  'video',
  'interactive',
  'reaction',
  'location',
] as const

export const sendMessageSchema = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        ...envelope,
        type: z.literal('text'),
        text: z.strictObject({
          body: z.string().min(1).max(4096),
          preview_url: z.boolean().optional(),
        }),
      }),
      z.strictObject({ ...envelope, type: z.literal('template'), template: templateSchema }),
      z.strictObject({ ...envelope, type: z.literal('image'), image: captioned }),
      z.strictObject({ ...envelope, type: z.literal('document'), document: documentSchema }),
      z.strictObject({ ...envelope, type: z.literal('audio'), audio: mediaLink }),
      z.strictObject({ ...envelope, type: z.literal('video'), video: captioned }),
      z.strictObject({
        ...envelope,
        type: z.literal('interactive'),
        interactive: interactiveSchema,
      }),
      z.strictObject({
        ...envelope,
        type: z.literal('reaction'),
        reaction: z.strictObject({
          message_id: z.string().min(1).max(256),
          emoji: z.string().max(16).meta({ description: 'An empty string removes the reaction' }),
        }),
      }),
      z.strictObject({ ...envelope, type: z.literal('location'), location: locationSchema }),
    ],
    { error: `must be one of ${MESSAGE_TYPES.join(', ')}` },
  )
  .meta({
    id: 'SendMessageRequest',
    description:
      'The body of Meta’s Cloud API `POST /{phone-number-id}/messages`: `type` names the object that carries the content.',
    example: { to: '+16505551234', type: 'text', text: { body: 'Your order has shipped.' } },
  })

export type SendMessageRequest = z.infer<typeof sendMessageSchema>

const MESSAGE_STATUSES = ['accepted', 'unknown', 'sent', 'delivered', 'read', 'failed'] as const

export const sentMessageSchema = z
  .object({
    id: z.string().meta({ example: 'wmsg_2Vh7yX0kq3N9fB1cR4tLm8' }),
    wamid: z
      .string()
      .meta({ description: 'Meta’s message id', example: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI' }),
    to: z.string(),
    type: z.enum(MESSAGE_TYPES),
    status: z.literal('accepted'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'SentMessage' })

export type SentMessageView = z.infer<typeof sentMessageSchema>

const messageStatusEntrySchema = z
  .object({
    status: z.string().meta({ example: 'delivered' }),
    timestamp: z.iso.datetime().meta({ description: 'When Meta says it happened' }),
    errors: z.array(z.record(z.string(), z.unknown())).nullable(),
    pricing: z.record(z.string(), z.unknown()).nullable(),
    recordedAt: z.iso.datetime(),
  })
  .meta({ id: 'MessageStatusEntry' })

export type MessageStatusEntry = z.infer<typeof messageStatusEntrySchema>

export const messageSchema = z
  .object({
    id: z.string(),
    phoneNumberId: z.uuid(),
    wabaId: z.uuid(),
    wamid: z.string().nullable().meta({
      description:
        'Meta’s message id; null when the send’s outcome is unknown (Meta gave none back)',
    }),
    to: z.string(),
    waId: z.string().nullable().meta({ description: 'The WhatsApp id Meta resolved `to` to' }),
    type: z.string(),
    status: z.enum(MESSAGE_STATUSES).meta({
      description:
        'The furthest status Meta reported: accepted → sent → delivered → read, or failed. `unknown`: Meta did not answer the send (a timeout, a lost connection, a 5xx), so it may or may not have been delivered; without a wamid Meta’s statuses cannot be matched to it, so it stays unknown',
    }),
    errors: z
      .array(z.record(z.string(), z.unknown()))
      .nullable()
      .meta({ description: 'Meta’s errors when the message failed' }),
    statuses: z.array(messageStatusEntrySchema).meta({
      description: 'Each status Meta’s webhooks reported, in the order they happened',
    }),
    content: z.record(z.string(), z.unknown()).meta({ description: 'The Cloud API body as sent' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Message' })

export type Message = z.infer<typeof messageSchema>

export const messageTemplateSchema = z
  .object({
    id: z.string().nullable(),
    name: z.string().meta({ example: 'order_confirmation' }),
    language: z.string().meta({ example: 'en_US' }),
    category: z.string().nullable().meta({ example: 'UTILITY' }),
    status: z.string().nullable().meta({ example: 'APPROVED' }),
    components: z
      .array(z.record(z.string(), z.unknown()))
      .meta({ description: 'As Meta defines them: HEADER, BODY, FOOTER, BUTTONS' }),
  })
  .meta({ id: 'MessageTemplate' })

export type MessageTemplate = z.infer<typeof messageTemplateSchema>

import { EVENT_TYPES } from '@onboard/webhooks'
import { z } from 'zod'
import { paginationQuerySchema } from '../shared/pagination'
import { webhookUrlSchema } from '../shared/urls'

const eventTypesSchema = z
  .array(
    z.enum(EVENT_TYPES, {
      error: (issue) =>
        `must be one of ${EVENT_TYPES.join(', ')} (got ${JSON.stringify(issue.input)})`,
    }),
  )
  .min(1)
  .max(EVENT_TYPES.length)
  .superRefine((events, ctx) => {
    const seen = new Set<string>()
    events.forEach((event, index) => {
      if (seen.has(event)) {
        ctx.addIssue({ code: 'custom', path: [index], message: `duplicates "${event}"` })
      }
      seen.add(event)
    })
  })
  .meta({
    description: 'Event types delivered to this endpoint',
    example: ['phone_number.connected'],
  })

const secretSchema = z.string().min(16).max(256).meta({
  description:
    'Signing secret. Omit it to get a generated `whsec_` + base64 secret (recommended); a secret that is not `whsec_` + valid base64 is used as raw bytes',
  example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
})

const urlSchema = webhookUrlSchema.meta({
  description: 'Where events are POSTed: https, or http to localhost',
  example: 'https://myapp.com/webhooks/whatsapp',
})

const descriptionSchema = z.string().max(500).meta({ example: 'Production receiver' })

export const createOutgoingWebhookSchema = z
  .strictObject({
    url: urlSchema,
    events: eventTypesSchema,
    secret: secretSchema.optional(),
    wabaId: z.string().min(1).max(64).optional().meta({
      description: 'Deliver only events about this WABA (our id)',
      example: '770e8400-e29b-41d4-a716-446655440002',
    }),
    description: descriptionSchema.optional(),
  })
  .meta({ id: 'CreateOutgoingWebhookRequest' })

export type CreateOutgoingWebhookInput = z.infer<typeof createOutgoingWebhookSchema>

export const updateOutgoingWebhookSchema = z
  .strictObject({
    url: urlSchema.optional(),
    events: eventTypesSchema.optional(),
    enabled: z.boolean().optional().meta({
      description: 'false disables the endpoint; true re-enables it and clears why it was disabled',
    }),
    description: descriptionSchema.nullable().optional(),
  })
  .refine((input) => Object.keys(input).length > 0, 'send at least one field to change')
  .meta({ id: 'UpdateOutgoingWebhookRequest' })

export type UpdateOutgoingWebhookInput = z.infer<typeof updateOutgoingWebhookSchema>

export const rotateSecretSchema = z
  .strictObject({ secret: secretSchema.optional() })
  .meta({ id: 'RotateOutgoingWebhookSecretRequest' })

export type RotateSecretInput = z.infer<typeof rotateSecretSchema>

const disabledReasonSchema = z.enum(['manual', 'gone', 'failing']).meta({
  description:
    '`manual`: disabled through the API; `gone`: the endpoint answered 410; `failing`: every delivery failed for WEBHOOK_DISABLE_AFTER',
})

export const outgoingWebhookSchema = z
  .object({
    id: z.string().meta({ example: 'we_2x8Qd3k9ZpL0aVbN7cM1eR' }),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()),
    wabaId: z.string().nullable(),
    onboardingLinkId: z
      .string()
      .nullable()
      .meta({ description: 'The onboarding link that auto-registered this endpoint' }),
    enabled: z.boolean(),
    disabledReason: disabledReasonSchema.nullable(),
    disabledMessage: z.string().nullable().meta({ description: 'Why it was disabled, in words' }),
    disabledAt: z.iso.datetime().nullable(),
    failingSince: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'First failed attempt since the last success' }),
    previousSecretExpiresAt: z.iso.datetime().nullable().meta({
      description: 'Until then the previous secret also signs every delivery (after a rotation)',
    }),
    secret: z
      .string()
      .optional()
      .meta({ description: 'Returned by create and rotate-secret only; never on later reads' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'OutgoingWebhook' })

export type OutgoingWebhook = z.infer<typeof outgoingWebhookSchema>

const deliveryStatusSchema = z.enum(['pending', 'delivered', 'failed'])

const deliveryAttemptSchema = z
  .object({
    attemptedAt: z.iso.datetime(),
    trigger: z.enum(['scheduled', 'manual']),
    httpStatus: z.number().int().nullable(),
    durationMs: z.number().int(),
    responseBody: z.string().nullable().meta({ description: 'The first 1 KB of the response' }),
    error: z.string().nullable(),
  })
  .meta({ id: 'WebhookDeliveryAttempt' })

export const deliverySchema = z
  .object({
    id: z.string().meta({
      description: 'Sent as `webhook-id` on every attempt',
      example: 'msg_5Jq0Hc2pYw9TgR4sXk7LdA',
    }),
    outgoingWebhookId: z.string(),
    eventId: z.string(),
    eventType: z.string().meta({ example: 'phone_number.connected' }),
    status: deliveryStatusSchema,
    attemptCount: z.number().int(),
    nextAttemptAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    attempts: z.array(deliveryAttemptSchema),
  })
  .meta({ id: 'WebhookDelivery' })

export type Delivery = z.infer<typeof deliverySchema>

export const listDeliveriesQuerySchema = paginationQuerySchema.extend({
  status: deliveryStatusSchema.optional(),
  eventType: z.string().max(64).optional(),
})

export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuerySchema>

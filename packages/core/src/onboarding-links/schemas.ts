import type { LinkLocale } from '@onboard/db'
import { EVENT_TYPES } from '@onboard/webhooks'
import { z } from 'zod'
import { jsonObjectSchema } from '../shared/json'
import { allowedOriginsSchema } from '../shared/origins'
import { prefillSchema, preVerifiedPhoneIdsSchema } from '../shared/prefill'
import { redirectUrlSchema, webhookUrlSchema } from '../shared/urls'

export const DEFAULT_LINK_TTL_SECONDS = 30 * 24 * 3600

/** The languages the hosted pages speak (their catalogues are in `@onboard/views`). */
export const LINK_LOCALES = ['en', 'es', 'pt-BR'] as const satisfies readonly LinkLocale[]

const linkLocaleSchema = z.enum(LINK_LOCALES, {
  error: (issue) =>
    `must be one of ${LINK_LOCALES.join(', ')} (got ${JSON.stringify(issue.input)})`,
})

const eventTypeSchema = z.enum(EVENT_TYPES, {
  error: (issue) => `must be one of ${EVENT_TYPES.join(', ')} (got ${JSON.stringify(issue.input)})`,
})

/** A link's lifetime from now, at creation or renewal. */
const expiresInSecondsSchema = z
  .number()
  .int()
  .min(900)
  .max(7_776_000)
  .optional()
  .meta({ description: 'Link lifetime from now; default 30 days', example: 2_592_000 })

export const createOnboardingLinkSchema = z
  .strictObject({
    name: z
      .string()
      .max(255)
      .refine((v) => v.trim().length > 0, 'must not be empty or blank')
      .meta({ description: 'Display name shown on the signup page', example: 'Acme Corp' }),
    externalId: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .meta({ description: 'Your internal identifier for this link', example: 'customer-123' }),
    metadata: jsonObjectSchema(10 * 1024)
      .optional()
      .meta({ description: 'Structured, non-secret identifiers copied to the connected phone' }),
    redirectUrl: redirectUrlSchema.optional().meta({
      description:
        'Where the end-user is sent after signup: https, http://localhost, or an app scheme',
      example: 'https://myapp.com/whatsapp/callback',
    }),
    webhookUrl: webhookUrlSchema.optional().meta({
      description:
        'An outgoing webhook auto-registered (scoped to the new WABA) when the phone connects',
    }),
    webhookSecret: z
      .string()
      .min(16)
      .max(256)
      .optional()
      .meta({ description: 'HMAC signing secret for that webhook (16-256 chars)' }),
    webhookEvents: z
      .array(eventTypeSchema)
      .min(1)
      .superRefine((events, ctx) => {
        const seen = new Set<string>()
        events.forEach((event, index) => {
          if (seen.has(event)) {
            ctx.addIssue({ code: 'custom', path: [index], message: `duplicates "${event}"` })
          }
          seen.add(event)
        })
      })
      .optional()
      .meta({ description: 'Event types for that webhook (required with webhookUrl)' }),
    prefill: prefillSchema.optional(),
    preVerifiedPhoneIds: preVerifiedPhoneIdsSchema.optional().meta({
      description: 'Pre-verified phone number ids offered in Embedded Signup',
      example: ['106540352242922'],
    }),
    allowCoexistence: z.boolean().optional().meta({
      description:
        'Let the end-user connect a number already on the WhatsApp Business app (coexistence)',
    }),
    allowedOrigins: allowedOriginsSchema.optional().meta({
      description:
        'Web origins (https, or http for localhost) whose pages may open this link with embed.js and hear its result; at most 10',
      example: ['https://app.example.com'],
    }),
    locale: linkLocaleSchema.optional().meta({
      description:
        'The language of the hosted pages and of Meta’s window; without it the end-user’s browser decides',
      example: 'es',
    }),
    expiresInSeconds: expiresInSecondsSchema,
  })
  .superRefine((input, ctx) => {
    if (input.webhookUrl !== undefined && input.webhookEvents === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhookEvents'],
        message: 'is required when webhookUrl is set',
      })
    }
    for (const field of ['webhookSecret', 'webhookEvents'] as const) {
      if (input.webhookUrl === undefined && input[field] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: 'is only allowed together with webhookUrl',
        })
      }
    }
  })
  .meta({ id: 'CreateOnboardingLinkRequest' })

export type CreateOnboardingLinkInput = z.infer<typeof createOnboardingLinkSchema>

export const renewOnboardingLinkSchema = z
  .strictObject({ expiresInSeconds: expiresInSecondsSchema })
  .meta({ id: 'RenewOnboardingLinkRequest' })

export type RenewOnboardingLinkInput = z.infer<typeof renewOnboardingLinkSchema>

const onboardingLinkStatusSchema = z.enum(['pending', 'completed', 'expired'])

export const onboardingLinkSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: onboardingLinkStatusSchema,
    externalId: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    redirectUrl: z.string().nullable(),
    hostedUrl: z.url(),
    phoneNumberId: z.string().nullable(),
    phoneNumber: z.string().nullable().meta({ description: 'E.164, once connected' }),
    wabaId: z.string().nullable(),
    isPhoneRegistered: z.boolean().nullable(),
    webhookUrl: z.string().nullable(),
    webhookSecret: z
      .string()
      .optional()
      .meta({ description: 'Returned by the create response only; never on later reads' }),
    webhookEvents: z.array(z.string()).nullable(),
    prefill: prefillSchema.nullable(),
    preVerifiedPhoneIds: z.array(z.string()).nullable(),
    allowCoexistence: z.boolean(),
    lastError: z
      .string()
      .nullable()
      .meta({ description: 'Why the last try failed; the link stays pending for a retry' }),
    cancelStep: z
      .string()
      .nullable()
      .meta({ description: 'The Embedded Signup screen where the end-user last cancelled' }),
    allowedOrigins: z.array(z.string()).meta({
      description: 'Normalised origins the embedded flow reports to; empty: embedding is off',
    }),
    locale: linkLocaleSchema
      .nullable()
      .meta({ description: 'The hosted pages’ language; null: chosen by the end-user’s browser' }),
    expiresAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'OnboardingLink' })

export type OnboardingLink = z.infer<typeof onboardingLinkSchema>

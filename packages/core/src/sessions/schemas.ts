import { z } from 'zod'
import { jsonObjectSchema } from '../shared/json'
import { paginationQuerySchema } from '../shared/pagination'
import { prefillSchema } from '../shared/prefill'
import { redirectUrlSchema } from '../shared/urls'

/** chirp-redirect-flow.txt: "Sessions expire after 15 minutes". */
export const SESSION_TTL_SECONDS = 15 * 60

/** The redirect's `error=` values, exactly as chirp-redirect-flow.txt lists them. */
export const SESSION_ERROR_CODES = [
  'session_expired',
  'waba_already_connected',
  'meta_api_error',
  'code_expired',
  'signup_failed',
] as const

export type SessionErrorCode = (typeof SESSION_ERROR_CODES)[number]

export const sessionIdSchema = z
  .string()
  .regex(/^wss_[0-9A-Za-z]{1,64}$/, 'must be a session id (wss_…)')
  .meta({ example: 'wss_2DbBs7GWhGvVNJGrDXr5RG' })

export const createSessionSchema = z
  .strictObject({
    redirect_uri: redirectUrlSchema.meta({
      description:
        'Where the end-user is sent after the signup: https, http only for localhost/127.0.0.1, or a mobile app scheme such as myapp://whatsapp/callback',
      example: 'https://example.com/whatsapp/callback',
    }),
    state: z.string().min(1).max(512).meta({
      description: 'Your CSRF token (1-512 characters), returned unchanged in the redirect',
      example: 'abc123-csrf-token',
    }),
    metadata: jsonObjectSchema(10 * 1024)
      .optional()
      .meta({
        description:
          'Your identifiers (at most 10 KB), for filtering sessions; copied to the connected WABA and phone',
        example: { externalUserId: 'user_123', businessName: 'Acme Corp' },
      }),
    prefill: prefillSchema.optional(),
  })
  .meta({ id: 'CreateEmbeddedSignupSessionRequest' })

export type CreateSessionInput = z.infer<typeof createSessionSchema>

export const createdSessionSchema = z
  .object({
    id: z.string().meta({ example: 'wss_2DbBs7GWhGvVNJGrDXr5RG' }),
    url: z.url().meta({
      description: 'Send the end-user here to complete the WhatsApp Business signup; works once',
      example: 'https://onboarding.example.com/signup/wss_2DbBs7GWhGvVNJGrDXr5RG',
    }),
    expires_at: z.iso.datetime().meta({
      description: 'When this session URL expires (15 minutes from creation)',
      example: '2024-01-15T12:30:00.000Z',
    }),
  })
  .meta({ id: 'EmbeddedSignupSessionCreated' })

export type CreatedSession = z.infer<typeof createdSessionSchema>

export const sessionStatusSchema = z
  .enum(['pending', 'completed', 'expired', 'cancelled', 'failed'])
  .meta({ id: 'EmbeddedSignupSessionStatus' })

export type SessionStatus = z.infer<typeof sessionStatusSchema>

const sessionPhoneSchema = z.object({
  id: z.uuid().meta({ description: 'Our phone id, for /v1/phones/{id}' }),
  phone_number: z.string().meta({ example: '+16315550123' }),
  display_phone_number: z.string(),
  meta_phone_number_id: z.string(),
  is_registered: z.boolean(),
})

const metaInstallSchema = z
  .object({
    status: z.enum(['shared', 'installed', 'removed']),
    last_event: z.string().meta({ example: 'PARTNER_APP_INSTALLED' }),
    installed_at: z.string().nullable(),
    event_time: z.string(),
  })
  .meta({
    description:
      "What Meta's account_update webhooks said about this WABA (e.g. PARTNER_APP_INSTALLED); null when Meta has not told us",
  })

export const sessionSchema = z
  .object({
    id: z.string().meta({ example: 'wss_2DbBs7GWhGvVNJGrDXr5RG' }),
    status: sessionStatusSchema,
    url: z.url(),
    redirect_uri: z.string(),
    state: z.string(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    prefill: prefillSchema.nullable(),
    expires_at: z.iso.datetime(),
    created_at: z.iso.datetime(),
    completed_at: z.iso.datetime().nullable(),
    completed_via: z.enum(['redirect', 'manual']).nullable().meta({
      description: 'redirect: the end-user came back; manual: POST …/sessions/{id}/complete',
    }),
    error: z
      .object({ code: z.enum(SESSION_ERROR_CODES), message: z.string() })
      .nullable()
      .meta({ description: 'Why a failed or cancelled session ended; `code` is the redirect’s' }),
    waba_id: z.uuid().nullable().meta({ description: 'Our WABA id, for /v1/wabas/{id}' }),
    meta_waba_id: z.string().nullable(),
    business_profile_id: z.string().nullable().meta({ example: 'wabp_2DbBs7GWhGvVNJGrDXr5RG' }),
    phone_numbers: z.array(sessionPhoneSchema),
    meta_install: metaInstallSchema.nullable(),
  })
  .meta({ id: 'EmbeddedSignupSession' })

export type Session = z.infer<typeof sessionSchema>

export const listSessionsQuerySchema = paginationQuerySchema.extend({
  status: sessionStatusSchema.optional(),
  metadata: z
    .record(z.string(), z.string())
    .optional()
    .meta({
      param: { style: 'deepObject', explode: true },
      description:
        'Filter by metadata values: `?metadata[externalUserId]=user_123`. Keys are 1-64 letters, digits, `_` or `-`; up to 5 filters, all must match; string and number values compare as text.',
      example: { externalUserId: 'user_123' },
    }),
})

export const completeSessionSchema = z
  .strictObject({
    wabaId: z
      .string()
      .regex(/^\d{1,32}$/, 'must be a Meta WABA id (digits only)')
      .meta({
        description: 'The WhatsApp Business Account id Meta reported',
        example: '123456789',
      }),
  })
  .meta({ id: 'CompleteEmbeddedSignupSessionRequest' })

export type CompleteSessionInput = z.infer<typeof completeSessionSchema>

import { z } from 'zod'
import { SANDBOX_SCENARIOS } from './constants'

const text = z.string().max(500)

/** Embedded Signup's `extras.setup`, read leniently: unknown keys are kept, every field optional. */
export const prefillSchema = z.looseObject({
  business: z
    .looseObject({
      id: z.union([text, z.number()]).nullish(),
      name: text.optional(),
      email: text.optional(),
      website: text.optional(),
      phone: z
        .looseObject({ code: z.union([text, z.number()]).optional(), number: text.optional() })
        .optional(),
      address: z
        .looseObject({
          streetAddress1: text.optional(),
          streetAddress2: text.optional(),
          city: text.optional(),
          state: text.optional(),
          zipPostal: text.optional(),
          country: text.optional(),
        })
        .optional(),
      timezone: text.optional(),
    })
    .optional(),
  phone: z
    .looseObject({
      displayName: text.optional(),
      category: text.optional(),
      description: text.optional(),
    })
    .optional(),
  preVerifiedPhone: z.looseObject({ ids: z.array(text).max(10).optional() }).optional(),
  solutionID: z.union([text, z.number()]).optional(),
})
export type Prefill = z.infer<typeof prefillSchema>

const signupOptionsSchema = z.strictObject({
  /** The code is handed out already past its 30 s TTL. */
  expiredCode: z.boolean().default(false),
  /** Hand out SANDBOX_SHARED_WABA_ID (and its phone) instead of fresh assets. */
  sharedWaba: z.boolean().default(false),
  /** POST /{phone}/register fails with 133005. */
  registerFails: z.boolean().default(false),
  /**
   * The phone's health_status: LIMITED = display name not approved yet; BLOCKED = the WABA
   * blocked by 141006 (no payment method), where every new Tech Provider customer starts.
   */
  health: z.enum(['AVAILABLE', 'LIMITED', 'BLOCKED']).default('AVAILABLE'),
  /** Calls made with this signup's token are rate limited: `true`/'waba' → 80007, 'app' → 4. */
  rateLimit: z
    .union([z.boolean(), z.enum(['waba', 'app'])])
    .default(false)
    .transform((v) => (v === true ? 'waba' : v === false ? null : v)),
  /** How many phone numbers the new WABA gets (more than 25 exercises paging). */
  phoneNumberCount: z.int().min(1).max(60).default(1),
  /** `cancel` scenario: the screen the user abandoned. */
  currentStep: z.string().max(64).default('PHONE_NUMBER_SETUP'),
  /** `error` scenario: Meta's current docs send CANCEL; older flows sent ERROR. */
  errorEvent: z.enum(['CANCEL', 'ERROR']).default('CANCEL'),
})
export type SignupOptions = z.output<typeof signupOptionsSchema>

export const signupRequestSchema = z.strictObject({
  scenario: z.enum(SANDBOX_SCENARIOS),
  prefill: prefillSchema.optional(),
  options: signupOptionsSchema.default(() => signupOptionsSchema.parse({})),
  /** Echoes FB.login's `extras.sessionInfoVersion`; decides the event's `version`. */
  sessionInfoVersion: z
    .union([z.literal('2'), z.literal('3'), z.literal(2), z.literal(3)])
    .optional(),
})
export type SignupRequest = z.output<typeof signupRequestSchema>

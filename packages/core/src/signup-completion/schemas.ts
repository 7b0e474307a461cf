import { z } from 'zod'

const graphId = z.string().regex(/^\d{1,32}$/, 'must be a Meta id (digits only)')
const idList = z.array(graphId).max(50)
const shortText = (max: number) => z.string().max(max)
/** Meta sends some of these as numbers, some as strings, depending on the flow version. */
const textOrNumber = (max: number) =>
  z.union([z.string().max(max), z.number()]).transform((v) => String(v))

/**
 * The `data` of Meta's WA_EMBEDDED_SIGNUP message event, read leniently: unknown keys are
 * dropped, known ones bounded. It comes from the browser, so nothing here is trusted.
 */
const embeddedSignupEventDataSchema = z.object({
  waba_id: graphId.optional(),
  phone_number_id: graphId.optional(),
  business_id: graphId.optional(),
  waba_ids: idList.optional(),
  page_ids: idList.optional(),
  dataset_ids: idList.optional(),
  catalog_ids: idList.optional(),
  instagram_account_ids: idList.optional(),
  ad_account_ids: idList.optional(),
  current_step: shortText(64).optional(),
  error_message: shortText(1000).optional(),
  error_code: textOrNumber(64).optional(),
  error_id: textOrNumber(64).optional(),
  session_id: textOrNumber(128).optional(),
  timestamp: textOrNumber(32).optional(),
})

const embeddedSignupEventSchema = z.object({
  event: z.string().min(1).max(64).meta({ example: 'FINISH' }),
  data: embeddedSignupEventDataSchema.default({}),
  version: z.union([z.number(), z.string().max(8)]).optional(),
})

export type EmbeddedSignupEvent = z.infer<typeof embeddedSignupEventSchema>

export const signupCallbackSchema = z
  .strictObject({
    nonce: z.string().min(1).max(200).meta({ description: 'Issued with the rendered page' }),
    code: z.string().min(1).max(4096).nullish().meta({ description: 'From FB.login' }),
    wabaId: graphId.nullish(),
    phoneNumberId: graphId.nullish(),
    businessId: graphId.nullish(),
    event: embeddedSignupEventSchema
      .nullish()
      .meta({ description: 'The WA_EMBEDDED_SIGNUP message event, when one arrived' }),
  })
  .meta({ id: 'SignupCallbackRequest' })

export type SignupCallbackInput = z.infer<typeof signupCallbackSchema>

export const signupOutcomeSchema = z
  .object({
    status: z.enum(['success', 'cancelled', 'error']),
    redirectUrl: z
      .string()
      .nullable()
      .meta({ description: 'Where the page sends the end-user; null shows the result inline' }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    phoneNumber: z.string().nullable(),
    phoneNumberId: z.string().nullable().meta({ description: 'Our id of the connected phone' }),
    step: z.string().nullable().meta({ description: 'Where the end-user stopped (cancel)' }),
  })
  .meta({ id: 'SignupOutcome' })

export type SignupOutcome = z.infer<typeof signupOutcomeSchema>

/** Meta's coexistence finish: the number stays on the WhatsApp Business app, already registered. */
export const COEXISTENCE_EVENT = 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING'

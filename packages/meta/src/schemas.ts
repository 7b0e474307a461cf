import { z } from 'zod'

/** Graph ids are strings in examples and numbers in some references: accept both. */
const graphId = z.union([z.string(), z.number()]).transform(String)
/** Enum-like Graph strings: unknown values pass through, missing ones become null. */
const looseString = z
  .string()
  .nullish()
  .transform((v) => v ?? null)
/** Unix seconds; 0 means "never". */
const unixSeconds = z.coerce.number().nullish()

export const accessTokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().optional(),
})

export const debugTokenResponse = z.looseObject({
  data: z.looseObject({
    is_valid: z.boolean().optional(),
    expires_at: unixSeconds,
    scopes: z.array(z.string()).nullish(),
    granular_scopes: z
      .array(
        z.looseObject({
          scope: z.string(),
          target_ids: z.array(graphId).nullish(),
        }),
      )
      .nullish(),
  }),
})

export const wabaResponse = z.looseObject({
  id: graphId,
  name: z.string().nullish(),
  currency: looseString,
  timezone_id: z.union([z.string(), z.number()]).nullish(),
  message_template_namespace: looseString,
  owner_business_info: z.looseObject({ id: graphId, name: looseString }).nullish(),
})

export const phoneNumber = z.looseObject({
  id: graphId,
  display_phone_number: z.string(),
  verified_name: looseString,
  quality_rating: looseString,
  code_verification_status: looseString,
  platform_type: looseString,
  status: looseString,
  name_status: looseString,
})

export const pagedPhoneNumbers = z.looseObject({
  data: z.array(phoneNumber),
  paging: z
    .looseObject({
      cursors: z.looseObject({ after: z.string().optional() }).optional(),
      next: z.string().optional(),
    })
    .optional(),
})

export const successResponse = z.looseObject({ success: z.boolean() })

export const subscribedAppsResponse = z.looseObject({
  data: z.array(
    z.looseObject({
      whatsapp_business_api_data: z.looseObject({ id: graphId, name: looseString }).optional(),
    }),
  ),
})

const healthEntity = z.looseObject({
  entity_type: z.string(),
  id: graphId,
  can_send_message: z.string(),
  additional_info: z.array(z.string()).nullish(),
  errors: z
    .array(
      z.looseObject({
        error_code: z.coerce.number(),
        error_description: z.string().nullish(),
        possible_solution: looseString,
      }),
    )
    .nullish(),
})

export const healthResponse = z.looseObject({
  health_status: z.looseObject({
    can_send_message: z.string(),
    entities: z.array(healthEntity).nullish(),
  }),
})

export const sendMessageResponse = z.looseObject({
  messaging_product: z.string().optional(),
  contacts: z
    .array(z.looseObject({ input: z.string().optional(), wa_id: z.string().optional() }))
    .nullish(),
  messages: z
    .array(z.looseObject({ id: z.string().min(1), message_status: z.string().optional() }))
    .min(1),
})

const messageTemplate = z.looseObject({
  id: graphId.optional(),
  name: z.string(),
  language: z.string(),
  category: looseString,
  status: looseString,
  components: z.array(z.looseObject({ type: z.string() })).nullish(),
})

export const pagedMessageTemplates = z.looseObject({
  data: z.array(messageTemplate),
  paging: z
    .looseObject({
      cursors: z.looseObject({ after: z.string().optional() }).optional(),
      next: z.string().optional(),
    })
    .optional(),
})

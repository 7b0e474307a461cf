import { z } from 'zod'

const graphId = z.string().regex(/^\d{1,32}$/, 'must be a Meta id (digits only)')

export const businessProfileCallbackSchema = z
  .strictObject({
    code: z.string().min(1).max(4096).meta({
      description: 'Authorization code from FB.login (expires in 30 seconds, works once)',
    }),
    redirectUri: z.string().min(1).max(2048).optional().meta({
      description:
        'The redirect URI used in the OAuth flow. Required for redirect mode, optional for popup mode (FB.login).',
    }),
    wabaId: graphId.optional().meta({
      description:
        'WhatsApp Business Account ID from session logging. If not provided, will be fetched from Meta.',
    }),
    phoneNumberId: graphId.optional().meta({
      description:
        'Phone Number ID from session logging (optional, phone numbers are fetched from WABA).',
    }),
    businessId: graphId.optional().meta({
      description: 'Business Portfolio ID from session logging',
    }),
    isCoexistence: z.boolean().optional().meta({
      description:
        'Whether this signup was completed via FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING (the number stays on the WhatsApp Business app; it is not registered again).',
    }),
  })
  .meta({ id: 'BusinessProfileCallbackRequest' })

export type BusinessProfileCallbackInput = z.infer<typeof businessProfileCallbackSchema>

export const businessProfileSchema = z
  .object({
    id: z.string().meta({
      description: 'WhatsApp Business Profile ID',
      example: 'wabp_2DbBs7GWhGvVNJGrDXr5RG',
    }),
    organizationId: z.string(),
    metaWabaId: z.string().meta({ description: "Meta's WhatsApp Business Account ID" }),
    metaBusinessId: z.string().nullable().meta({ description: "Meta's Business Portfolio ID" }),
    businessName: z
      .string()
      .nullable()
      .meta({ description: 'Business name from Meta', example: 'Acme Corp' }),
    tokenExpiresAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'When the access token expires (null = never)' }),
    onboardingCompletedAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'When onboarding was completed' }),
    createdAt: z.iso.datetime(),
    phoneNumbers: z.array(
      z.object({
        id: z.string(),
        displayPhoneNumber: z.string().meta({ example: '+15551234567' }),
        metaPhoneNumberId: z.string(),
        verified: z.boolean(),
        qualityRating: z.string().nullable().meta({ example: 'GREEN' }),
      }),
    ),
    isTestProfile: z
      .boolean()
      .meta({ description: 'Whether this is a test profile (for test mode separation)' }),
  })
  .meta({ id: 'BusinessProfile' })

export type BusinessProfile = z.infer<typeof businessProfileSchema>

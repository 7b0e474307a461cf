import { z } from 'zod'

// The shapes phones/ and wabas/ both answer with: a WABA, a phone, the connected account and
// a failed Graph lookup. They live below both folders so neither imports the other.

const business = z.object({ id: z.string(), name: z.string().nullable() })

export const graphLookupErrorSchema = z
  .object({
    operation: z.string().meta({ example: 'getWaba' }),
    code: z.string().meta({ example: 'meta_api_error' }),
    message: z.string(),
  })
  .meta({ id: 'GraphLookupError', description: 'A live Meta lookup that failed; not fatal' })

export type GraphLookupError = z.infer<typeof graphLookupErrorSchema>

export const wabaSchema = z
  .object({
    id: z.uuid(),
    metaWabaId: z.string(),
    name: z.string(),
    currency: z.string().nullable(),
    timezoneId: z.string().nullable(),
    ownerBusiness: business.nullable(),
    datasetId: z.string().nullable(),
    pageId: z.string().nullable(),
    status: z.enum(['connected', 'disconnected']),
    isSubscribed: z
      .boolean()
      .meta({ description: 'Our app is subscribed to the WABA’s webhooks (needed to receive)' }),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    externalId: z.string().nullable(),
    onboardingLinkId: z.string().nullable(),
    isTestProfile: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Waba' })

export type Waba = z.infer<typeof wabaSchema>

export const connectedAccountSchema = z
  .object({
    source: z.literal('embedded_signup'),
    business: business.nullable(),
    waba: z.object({
      id: z.uuid(),
      metaWabaId: z.string(),
      name: z.string(),
      currency: z.string().nullable(),
    }),
    pageIds: z.array(z.string()),
    selectedPageId: z.string().nullable(),
    pages: z.array(
      z.object({
        id: z.string(),
        name: z.string().nullable(),
        isFromOnboarding: z.boolean(),
        isSelectedForCapi: z.boolean(),
      }),
    ),
    datasetIds: z.array(z.string()),
    selectedDatasetId: z.string().nullable(),
    catalogIds: z.array(z.string()),
    instagramAccountIds: z.array(z.string()),
    marketingMessagesOnboardingStatus: z.object({ status: z.string() }).nullable(),
    graphLookupErrors: z.array(graphLookupErrorSchema),
  })
  .meta({ id: 'ConnectedAccount' })

export type ConnectedAccount = z.infer<typeof connectedAccountSchema>

export const phoneSchema = z
  .object({
    id: z.uuid(),
    phoneNumber: z.string().meta({ description: 'E.164', example: '+5491155551234' }),
    displayPhoneNumber: z.string(),
    metaPhoneNumberId: z.string(),
    verifiedName: z.string().nullable(),
    qualityRating: z.string().nullable(),
    status: z.string().nullable().meta({ description: 'Meta’s status, e.g. CONNECTED' }),
    codeVerificationStatus: z.string().nullable(),
    platformType: z.string().nullable(),
    nameStatus: z.string().nullable(),
    isRegistered: z.boolean(),
    isCoexistence: z
      .boolean()
      .meta({ description: 'Also in use on the WhatsApp Business app (coexistence)' }),
    wabaId: z.uuid(),
    metaWabaId: z.string(),
    onboardingLinkId: z.string().nullable(),
    externalId: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    isTestProfile: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Phone' })

export type Phone = z.infer<typeof phoneSchema>

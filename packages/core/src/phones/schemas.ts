import { z } from 'zod'
import { connectedAccountSchema, graphLookupErrorSchema, phoneSchema } from '../accounts/schemas'

export const phoneDetailSchema = phoneSchema
  .extend({ connectedAccount: connectedAccountSchema })
  .meta({ id: 'PhoneDetail' })

export type PhoneDetail = z.infer<typeof phoneDetailSchema>

const healthIssueSchema = z
  .object({
    code: z.string().meta({ example: 'phone_not_registered' }),
    severity: z.enum(['error', 'warning']),
    source: z.enum([
      'registration',
      'subscription',
      'meta_health',
      'meta_webhook',
      'lookup',
      'token',
    ]),
    message: z.string(),
    metaErrorCode: z.number().nullable(),
    possibleSolution: z.string().nullable(),
  })
  .meta({ id: 'PhoneHealthIssue' })

export type HealthIssue = z.infer<typeof healthIssueSchema>

export const phoneHealthSchema = z
  .object({
    phoneNumberId: z.uuid(),
    phoneNumber: z.string(),
    status: z.enum(['ready', 'limited', 'not_ready']),
    capabilities: z.object({
      canSendMessages: z.boolean(),
      canReceiveMessages: z.boolean(),
      isRegistered: z.boolean(),
      isWebhookSubscribed: z.boolean(),
      isMessagingLimited: z.boolean(),
    }),
    issues: z.array(healthIssueSchema),
    meta: z.object({
      canSendMessage: z.string().nullable().meta({ description: 'AVAILABLE, LIMITED or BLOCKED' }),
      entities: z.array(
        z.object({
          entityType: z.string(),
          id: z.string(),
          canSendMessage: z.string(),
          additionalInfo: z.array(z.string()),
          errors: z.array(
            z.object({
              errorCode: z.number(),
              errorDescription: z.string(),
              possibleSolution: z.string().nullable(),
            }),
          ),
        }),
      ),
      checkedAt: z.iso.datetime().nullable(),
      isLive: z.boolean().meta({ description: 'false when the stored last answer was used' }),
    }),
    graphLookupErrors: z.array(graphLookupErrorSchema),
  })
  .meta({ id: 'PhoneHealth' })

export type PhoneHealth = z.infer<typeof phoneHealthSchema>

import { outgoingWebhooks } from '@onboard/core'
import { z } from 'zod'
import { commonErrorResponses, errorResponse } from '../../lib/errors'

export const webhookIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .meta({ param: { name: 'id', in: 'path' }, example: 'we_2x8Qd3k9ZpL0aVbN7cM1eR' }),
})

export const deliveryParamsSchema = webhookIdParamsSchema.extend({
  deliveryId: z
    .string()
    .min(1)
    .max(64)
    .meta({ param: { name: 'deliveryId', in: 'path' }, example: 'msg_5Jq0Hc2pYw9TgR4sXk7LdA' }),
})

/** What the routes that queue a delivery (a test event, a retry) answer. */
export const queuedDeliveryResponses = {
  202: {
    description: 'The delivery, queued',
    content: {
      'application/json': { schema: z.object({ data: outgoingWebhooks.deliverySchema }) },
    },
  },
  ...commonErrorResponses,
  409: errorResponse('The endpoint is disabled'),
}

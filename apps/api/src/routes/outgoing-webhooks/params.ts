import { z } from 'zod'

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

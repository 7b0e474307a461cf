import { sessions } from '@onboard/core'
import { z } from 'zod'

export const sessionParamsSchema = z.object({
  id: sessions.sessionIdSchema.meta({ param: { name: 'id', in: 'path' } }),
})

export const SESSIONS_PATH = '/v1/organization/embedded-signup/sessions'
export const SESSIONS_TAG = 'Embedded-signup sessions'

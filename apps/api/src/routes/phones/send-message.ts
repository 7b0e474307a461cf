import { createRoute } from '@hono/zod-openapi'
import { messages } from '@onboard/core'
import { z } from 'zod'
import type { AppDeps } from '../../lib/env'
import { commonErrorResponses, errorResponse } from '../../lib/errors'
import type { Router } from '../../lib/router'
import { phoneIdParamsSchema } from './get'

const route = createRoute({
  method: 'post',
  path: '/v1/phones/{id}/messages',
  tags: ['Messages'],
  summary: 'Send a WhatsApp message from this number',
  description:
    'The body is Meta’s Cloud API message (`text`, `template`, `image`, `document`, `audio`, `video`, `interactive` buttons or list, `reaction`, `location`), sent with the number’s business token. Its statuses arrive as `message.sent` / `message.delivered` / `message.read` / `message.failed` events and in `GET /v1/messages/{id}`. Supports `Idempotency-Key`: a retry with the same key replays this answer and never sends twice. When Meta may have taken the message but did not answer (a timeout, a lost connection, a 5xx) the message is stored with status `unknown` and the answer is 503 `meta_outcome_unknown` with its `messageId`; that answer is kept for the key, so a retry with it replays it without calling Meta. Meta’s definite refusals store nothing and release the key.',
  security: [{ bearerAuth: [] }],
  request: {
    params: phoneIdParamsSchema,
    body: {
      required: true,
      content: { 'application/json': { schema: messages.sendMessageSchema } },
    },
  },
  responses: {
    201: {
      description: 'Meta accepted the message',
      content: { 'application/json': { schema: z.object({ data: messages.sentMessageSchema }) } },
    },
    ...commonErrorResponses,
    400: errorResponse(
      'The body is invalid (`details` names each field), or Meta refused the recipient (`recipient_undeliverable` 131026, `recipient_not_allowed` 131030) or the message (`meta_rejected`)',
    ),
    409: errorResponse(
      'The number cannot send (its health issue’s code, e.g. `phone_not_registered`, `waba_disconnected`, `business_token_invalid`), the customer service window is closed (`outside_customer_service_window`, 131047: send a template), or the Idempotency-Key was used with another request',
    ),
    429: errorResponse('Meta’s rate limits (`rate_limited`); `Retry-After` says when to try again'),
    503: errorResponse(
      'Meta could not be reached, so nothing was sent (`meta_unavailable`; `Retry-After` says when to try again); or Meta did not answer after the request reached it (a timeout, a lost connection, a 5xx), so it may have sent the message (`meta_outcome_unknown`, no `Retry-After`): `messageId` names the message, stored with status `unknown`, and a retry with the same Idempotency-Key replays this answer',
    ),
  },
})

export function registerSendMessage(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const sent = await messages.sendMessage(
      deps.core,
      deps.metaApps,
      c.var.tenant,
      c.req.valid('param').id,
      c.req.valid('json'),
    )
    return c.json({ data: sent }, 201)
  })
}

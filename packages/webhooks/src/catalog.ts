/**
 * Every event type a customer can subscribe an outgoing webhook to. `webhookEvents` on
 * onboarding links and `events` on outgoing webhooks are validated against this list.
 */
export const EVENT_TYPES = [
  'phone_number.connected',
  'phone_number.disconnected',
  'message.received',
  'message.sent',
  'message.delivered',
  'message.read',
  'message.failed',
  'onboarding_link.opened',
  'onboarding_link.failed',
  'onboarding_link.expired',
] as const

export type EventType = (typeof EVENT_TYPES)[number]

/**
 * Sent only by `POST /v1/outgoing-webhooks/:id/test`, to that one endpoint, whatever it
 * subscribes to; it is not in EVENT_TYPES because nobody subscribes to it.
 */
export const TEST_EVENT_TYPE = 'webhook.test'

/** The body of every outgoing webhook (docs/webhooks.md). */
export interface EventEnvelope<Data = Record<string, unknown>> {
  event: string
  timestamp: string
  organizationId: string
  data: Data
}

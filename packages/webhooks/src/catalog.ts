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
] as const

export type EventType = (typeof EVENT_TYPES)[number]

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value)
}

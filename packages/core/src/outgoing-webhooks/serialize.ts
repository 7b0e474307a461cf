import type { OutgoingWebhookRow, WebhookAttemptRow, WebhookDeliveryRow } from '@onboard/db'
import type { Delivery, OutgoingWebhook } from './schemas'

export function toOutgoingWebhook(row: OutgoingWebhookRow, now: Date): OutgoingWebhook {
  const previousActive =
    row.previous_secret_expires_at !== null && row.previous_secret_expires_at > now.toISOString()
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as string[],
    wabaId: row.waba_id,
    onboardingLinkId: row.onboarding_link_id,
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    disabledMessage: row.disabled_message,
    disabledAt: row.disabled_at,
    failingSince: row.failing_since,
    previousSecretExpiresAt: previousActive ? row.previous_secret_expires_at : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export function toDelivery(row: WebhookDeliveryRow, attempts: WebhookAttemptRow[]): Delivery {
  return {
    id: row.id,
    outgoingWebhookId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    attempts: attempts.map((attempt) => ({
      attemptedAt: attempt.attempted_at,
      trigger: attempt.trigger,
      httpStatus: attempt.http_status,
      durationMs: attempt.duration_ms,
      responseBody: attempt.response_body,
      error: attempt.error,
    })),
  }
}

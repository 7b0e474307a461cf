import type { PhoneNumberRow, WabaRow } from '@onboard/db'
import type { HealthIssue } from './schemas'

export interface WebhookHealth {
  issues: HealthIssue[]
  /** True when Meta's webhooks say the number cannot send or receive at all. */
  blocksMessaging: boolean
}

function webhookIssue(
  code: string,
  message: string,
  severity: HealthIssue['severity'] = 'error',
): HealthIssue {
  return {
    code,
    severity,
    source: 'meta_webhook',
    message,
    metaErrorCode: null,
    possibleSolution: null,
  }
}

/** Phone statuses (Meta's enum) under which nothing can be sent or received. */
const BLOCKING_STATUSES = new Set([
  'DISCONNECTED',
  'BANNED',
  'DELETED',
  'RESTRICTED',
  'RATE_LIMITED',
])

/**
 * What Meta's webhooks told us about a phone and its WABA (account_update, quality
 * updates), as health issues. The live health read cannot see an uninstall: Meta stops
 * answering for the WABA, so this stored fact is the only signal.
 */
export function webhookHealth(phone: PhoneNumberRow, waba: WabaRow): WebhookHealth {
  if (waba.status === 'disconnected') {
    return {
      issues: [
        webhookIssue(
          'waba_disconnected',
          waba.disconnected_reason === 'connected_to_another_organization'
            ? 'This WhatsApp Business Account is connected to another organisation, which connected it first; a WABA has one owner.'
            : 'Meta reports that our app was removed from this WhatsApp Business Account; connect the number again with a new onboarding link.',
        ),
      ],
      blocksMessaging: true,
    }
  }
  const status = phone.meta_status
  if (status && BLOCKING_STATUSES.has(status)) {
    return {
      issues: [
        webhookIssue(
          `phone_${status.toLowerCase()}`,
          `Meta reports the number as ${status}; it cannot send or receive messages until that changes.`,
        ),
      ],
      blocksMessaging: true,
    }
  }
  if (status === 'FLAGGED') {
    return {
      issues: [
        webhookIssue(
          'phone_flagged',
          'Meta flagged the number for low quality; its messaging limit may be lowered if quality does not improve.',
          'warning',
        ),
      ],
      blocksMessaging: false,
    }
  }
  return { issues: [], blocksMessaging: false }
}

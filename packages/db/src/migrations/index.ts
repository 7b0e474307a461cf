import type { Migration } from 'kysely'
import * as foundation from './0001_foundation'
import * as outgoingWebhooks from './0002_outgoing_webhooks'
import * as wabasPhones from './0003_wabas_phones'
import * as metaWebhookReceipts from './0005_meta_webhook_receipts'
import * as signupSessions from './0006_signup_sessions'
import * as onboardingLinkCounts from './0007_onboarding_link_counts'
import * as wabaOwnership from './0008_waba_ownership'
import * as retentionIndexes from './0009_retention_indexes'
import * as finishWabaIndexes from './0010_finish_waba_indexes'
import * as sandboxState from './0012_sandbox_state'
import * as messages from './0013_messages'
import * as messagesOutcomeUnknown from './0014_messages_outcome_unknown'
import * as consoleTables from './0015_console'
import * as consoleAttribution from './0016_console_attribution'
import * as linkLocale from './0017_link_locale'
import * as organizationBranding from './0018_organization_branding'
import * as linkLifecycleEvents from './0019_link_lifecycle_events'
import * as unattendedEvidence from './0020_unattended_evidence'
import * as linkAllowedOrigins from './0021_link_allowed_origins'

/**
 * Every migration, by name, imported statically so none can sit in the folder unrun.
 * A test checks that each file in this folder appears here. Names sort in run order.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_outgoing_webhooks': outgoingWebhooks,
  '0003_wabas_phones': wabasPhones,
  '0005_meta_webhook_receipts': metaWebhookReceipts,
  '0006_signup_sessions': signupSessions,
  '0007_onboarding_link_counts': onboardingLinkCounts,
  '0008_waba_ownership': wabaOwnership,
  '0009_retention_indexes': retentionIndexes,
  '0010_finish_waba_indexes': finishWabaIndexes,
  '0012_sandbox_state': sandboxState,
  '0013_messages': messages,
  '0014_messages_outcome_unknown': messagesOutcomeUnknown,
  '0015_console': consoleTables,
  '0016_console_attribution': consoleAttribution,
  '0017_link_locale': linkLocale,
  '0018_organization_branding': organizationBranding,
  '0019_link_lifecycle_events': linkLifecycleEvents,
  '0020_unattended_evidence': unattendedEvidence,
  '0021_link_allowed_origins': linkAllowedOrigins,
}

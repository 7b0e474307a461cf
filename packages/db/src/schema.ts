import type { Generated, Insertable, Selectable } from 'kysely'

/** `test` objects are invisible to live keys and vice versa; every customer row carries one. */
export type Mode = 'test' | 'live'

/** A language the hosted pages speak. */
export type LinkLocale = 'en' | 'es' | 'pt-BR'

/** Times are ISO-8601 UTC text with milliseconds; JSON columns are serialised text. */
interface OrganizationsTable {
  id: string
  name: string
  created_at: string
}

interface ApiKeysTable {
  id: string
  organization_id: string
  mode: Mode
  /** SHA-256 (hex) of the whole key; the key itself is never stored. */
  key_hash: string
  last_four: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
  /** The console user who made it; null when made otherwise (CLI, sign-up of the org). */
  created_by: string | null
}

export interface IdempotencyKeysTable {
  organization_id: string
  mode: Mode
  key: string
  /** Method, path and body hashed together: a reused key with another request is a conflict. */
  request_hash: string
  response_status: number
  /** The response, encrypted (it may hold a secret); '' while the request is in progress. */
  response_body: string
  created_at: string
}

interface OnboardingLinksTable {
  id: string
  organization_id: string
  mode: Mode
  name: string
  external_id: string | null
  metadata: string | null
  redirect_url: string | null
  webhook_url: string | null
  webhook_secret_enc: string | null
  webhook_events: string | null
  prefill: string | null
  pre_verified_phone_ids: string | null
  allow_coexistence: number
  status: 'pending' | 'completed' | 'expired'
  expires_at: string
  created_at: string
  updated_at: string
  completed_at: string | null
  last_error: string | null
  cancel_step: string | null
  phone_number_id: string | null
  waba_id: string | null
  /** What Meta's FINISH message told the hosted page (waba, phone, business ids), when it came. */
  finish_meta_waba_id: string | null
  finish_meta_phone_number_id: string | null
  finish_meta_business_id: string | null
  finish_received_at: string | null
  /** JSON array of normalised web origins embed.js may hear the result on; null for none. */
  allowed_origins: string | null
  /** The hosted pages' language (`en`, `es`, `pt-BR`); null: the browser's choice. */
  locale: LinkLocale | null
  /** When onboarding_link.expired was raised for the current expires_at (a renewal clears it). */
  expired_event_at: string | null
  /** onboarding_link.failed events raised since creation or the last renewal (capped). */
  failed_events: Generated<number>
  /** Which FINISH event the page saw (coexistence is not registered); null before 0020. */
  finish_event: string | null
  /** Different WABAs the link's pages named (bounded; see recordLinkFinish). */
  finish_changes: Generated<number>
  /** When the unattended completion may try again after a failed try; null: not tried. */
  unattended_retry_at: string | null
}

export interface WabasTable {
  id: string
  organization_id: string
  mode: Mode
  meta_waba_id: string
  meta_business_id: string | null
  business_name: string | null
  name: string
  currency: string | null
  timezone_id: string | null
  /** The business token from the code exchange, AES-256-GCM encrypted. */
  access_token_enc: string
  token_expires_at: string | null
  /** JSON: what Embedded Signup shared (page, dataset, catalog, Instagram, ad account ids). */
  connected_account: string
  source: 'embedded_signup'
  /** `disconnected` once Meta says our app was removed from the WABA (account_update). */
  status: 'connected' | 'disconnected'
  /** Why a WABA was disconnected other than by Meta (e.g. `connected_to_another_organization`). */
  disconnected_reason: string | null
  /** 1 when subscribing our app to the WABA succeeded; else subscription_error says why. */
  is_subscribed: number
  subscription_error: string | null
  /** When Meta answered 190 (invalid or expired token) for the business token; null since the last sign-up. */
  token_invalid_at: string | null
  token_error: string | null
  metadata: string | null
  onboarding_link_id: string | null
  external_id: string | null
  created_at: string
  updated_at: string
}

export interface PhoneNumbersTable {
  id: string
  organization_id: string
  mode: Mode
  /** Our wabas.id. */
  waba_id: string
  meta_phone_number_id: string
  /** E.164, e.g. +5491155551234. */
  phone_number: string
  display_phone_number: string
  verified_name: string | null
  quality_rating: string | null
  code_verification_status: string | null
  platform_type: string | null
  meta_status: string | null
  name_status: string | null
  is_registered: number
  registration_error: string | null
  /** The two-step verification PIN we registered with, encrypted. */
  pin_enc: string | null
  is_coexistence: number
  metadata: string | null
  onboarding_link_id: string | null
  external_id: string | null
  /** JSON of Meta's last health_status answer, the fallback when a live read fails. */
  last_health: string | null
  last_health_at: string | null
  created_at: string
  updated_at: string
}

export interface SignupAttemptsTable {
  id: string
  organization_id: string
  mode: Mode
  onboarding_link_id: string
  outcome: 'completed' | 'cancelled' | 'failed'
  event: string | null
  /** Embedded Signup's current_step when the user cancelled. */
  step: string | null
  error_code: string | null
  error_message: string | null
  meta_session_id: string | null
  created_at: string
}

/** A Chirp-style embedded-signup session (redirect flow); `expired` is computed on read. */
export interface SignupSessionsTable {
  id: string
  organization_id: string
  mode: Mode
  redirect_uri: string
  /** The customer's CSRF token, returned unchanged in the redirect. */
  state: string
  metadata: string | null
  prefill: string | null
  status: 'pending' | 'completed' | 'cancelled' | 'failed'
  expires_at: string
  created_at: string
  updated_at: string
  completed_at: string | null
  /** redirect: the hosted page's callback; manual: POST …/sessions/:id/complete. */
  completed_via: 'redirect' | 'manual' | null
  /** One of the documented redirect codes (signup_failed, code_expired, …) once it failed. */
  error_code: string | null
  error_message: string | null
  /** Our wabas.id and phone_numbers.id once completed. */
  waba_id: string | null
  phone_number_id: string | null
  /** What Meta's FINISH message told the hosted page (waba, phone, business ids), when it came. */
  finish_meta_waba_id: string | null
  finish_meta_phone_number_id: string | null
  finish_meta_business_id: string | null
  finish_received_at: string | null
}

/** A customer's webhook endpoint. Secrets are AES-256-GCM encrypted; events is a JSON array. */
export interface OutgoingWebhooksTable {
  id: string
  organization_id: string
  mode: Mode
  url: string
  description: string | null
  secret_enc: string
  /** After a rotation the previous secret keeps signing beside the new one until it expires. */
  previous_secret_enc: string | null
  previous_secret_expires_at: string | null
  events: string
  /** Our wabas.id: when set, only that WABA's events are delivered here. */
  waba_id: string | null
  /** Set when the endpoint was auto-registered by an onboarding link's completion. */
  onboarding_link_id: string | null
  enabled: number
  disabled_reason: 'manual' | 'gone' | 'failing' | null
  disabled_message: string | null
  disabled_at: string | null
  /** First failed attempt since the last success; failing long enough disables the endpoint. */
  failing_since: string | null
  created_at: string
  updated_at: string
}

/** The outbox's source of truth: the envelope as the exact text that is signed and sent. */
export interface EventsTable {
  id: string
  organization_id: string
  mode: Mode
  type: string
  waba_id: string | null
  payload: string
  created_at: string
}

type DeliveryStatus = 'pending' | 'delivered' | 'failed'

/** One event × one endpoint. Its id (`msg_…`) is the `webhook-id` on every attempt. */
export interface WebhookDeliveriesTable {
  id: string
  event_id: string
  endpoint_id: string
  organization_id: string
  mode: Mode
  event_type: string
  status: DeliveryStatus
  attempts: number
  /** When the pending delivery is due; the relay re-enqueues those overdue and missing. */
  next_attempt_at: string | null
  /** 1 while a person's replay is waiting: that attempt is single, not on the schedule. */
  manual_retry: number
  last_error: string | null
  delivered_at: string | null
  created_at: string
  updated_at: string
}

interface WebhookAttemptsTable {
  id: Generated<number>
  delivery_id: string
  trigger: 'scheduled' | 'manual'
  attempted_at: string
  http_status: number | null
  duration_ms: number
  /** The first 1 KB of the response body. */
  response_body: string | null
  error: string | null
}

/** Meta's inbound webhook deliveries; `mode` is the app whose secret signed the body. */
export interface MetaWebhookReceiptsTable {
  id: string
  mode: Mode
  /** SHA-256 (hex) of the raw body: Meta retries the identical body, so it is one receipt. */
  body_sha256: string
  body: string
  status: 'pending' | 'processed' | 'failed'
  attempts: number
  events_recorded: number
  /** Why nothing (or not everything) was emitted, e.g. an unknown phone number id. */
  note: string | null
  received_at: string
  processed_at: string | null
}

/** Which organisations a receipt was about when it was processed (the console lists by it). */
interface MetaReceiptOrganizationsTable {
  receipt_id: string
  organization_id: string
  mode: Mode
  /** JSON array of the Meta ids (WABA, number) by which the receipt concerned it. */
  meta_ids: string
  received_at: string
}

/** Items (message, status, account change) already turned into events, per mode. */
interface MetaWebhookItemsTable {
  mode: Mode
  item_key: string
  receipt_id: string
  created_at: string
}

/** What account_update said about a Meta WABA, whether or not a sign-up of ours has it. */
export interface MetaWabaInstallsTable {
  mode: Mode
  meta_waba_id: string
  /** shared: PARTNER_ADDED; installed: PARTNER_APP_INSTALLED; removed: removed or uninstalled. */
  status: 'shared' | 'installed' | 'removed'
  last_event: string
  event_time: string
  owner_business_id: string | null
  partner_app_id: string | null
  solution_id: string | null
  disconnection_reason: string | null
  installed_at: string | null
  removed_at: string | null
  receipt_id: string
  updated_at: string
  /** The session (`wss_…`), link or business profile (`wabp_…`) id whose completion used this install. */
  claimed_by: string | null
  claimed_at: string | null
}

/**
 * `unknown`: the send failed without an answer saying whether Meta took the message (a
 * timeout, a reset, a 5xx); it has no wamid, so Meta's statuses cannot move it on.
 */
export type MessageStatus = 'accepted' | 'unknown' | 'sent' | 'delivered' | 'read' | 'failed'

/** A message sent through our API, once Meta accepted it or once its outcome is unknown. */
interface MessagesTable {
  /** `wmsg_…`, time-ordered. */
  id: string
  organization_id: string
  mode: Mode
  /** Our phone_numbers.id and wabas.id. */
  phone_number_id: string
  waba_id: string
  /** Meta's `wamid.…`, unique per mode; null when the send's outcome is unknown. */
  wamid: string | null
  /** `to` as the request gave it. */
  recipient: string
  /** The WhatsApp id Meta resolved `to` to. */
  wa_id: string | null
  type: string
  /** The Cloud API body as sent, JSON text. */
  body: string
  /** The furthest status Meta's webhooks reported (`accepted` until the first). */
  status: MessageStatus
  /** Meta's errors from a `failed` status, JSON text. */
  error: string | null
  created_at: string
  updated_at: string
}

/** One status Meta's webhooks reported for a message, keyed by Meta's id. */
interface MessageStatusesTable {
  id: string
  organization_id: string
  mode: Mode
  phone_number_id: string
  wamid: string
  status: string
  occurred_at: string
  errors: string | null
  pricing: string | null
  recorded_at: string
}

/** Links per organisation and mode, kept exact by triggers on onboarding_links. */
interface OnboardingLinkCountsTable {
  organization_id: string
  mode: Mode
  total: number
}

/** A person who signs in to /console; belongs to one organisation. */
interface ConsoleUsersTable {
  id: string
  organization_id: string
  email: string
  /** `scrypt$N$r$p$salt$hash`, base64 parts. */
  password_hash: string
  created_at: string
  last_sign_in_at: string | null
}

/** A signed-in browser; the cookie's token is stored only as its SHA-256. */
interface ConsoleSessionsTable {
  token_hash: string
  user_id: string
  organization_id: string
  /** Which of the organisation's data the console shows. */
  mode: Mode
  csrf_token: string
  created_at: string
  expires_at: string
}

/** A failed sign-in under a hashed `email:…` or `ip:…` key, for the rate limit. */
interface ConsoleSignInFailuresTable {
  id: string
  key_hash: string
  attempted_at: string
}

type LinkActivityKind = 'opened' | 'connect_pressed' | 'meta_result'

/** A step the hosted page reported for a link. */
interface LinkActivityTable {
  id: string
  organization_id: string
  mode: Mode
  onboarding_link_id: string
  kind: LinkActivityKind
  /** JSON text (Meta's result), or null. */
  detail: string | null
  dedupe_key: string
  created_at: string
}

/** What the hosted pages show of an organisation, per mode (migration 0018). */
interface OrganizationBrandingTable {
  organization_id: string
  mode: Mode
  display_name: string | null
  /** `#rrggbb`, lower case. */
  accent_color: string | null
  support_email: string | null
  support_url: string | null
  /** SHA-256 (hex) of `logo_bytes`; null, with the two below, when there is no logo. */
  logo_sha256: string | null
  logo_content_type: string | null
  logo_bytes: Buffer | null
  updated_at: string
}

export interface Database {
  organizations: OrganizationsTable
  api_keys: ApiKeysTable
  idempotency_keys: IdempotencyKeysTable
  onboarding_links: OnboardingLinksTable
  onboarding_link_counts: OnboardingLinkCountsTable
  wabas: WabasTable
  phone_numbers: PhoneNumbersTable
  signup_attempts: SignupAttemptsTable
  signup_sessions: SignupSessionsTable
  outgoing_webhooks: OutgoingWebhooksTable
  events: EventsTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_attempts: WebhookAttemptsTable
  meta_webhook_receipts: MetaWebhookReceiptsTable
  meta_webhook_items: MetaWebhookItemsTable
  meta_receipt_organizations: MetaReceiptOrganizationsTable
  meta_waba_installs: MetaWabaInstallsTable
  messages: MessagesTable
  message_statuses: MessageStatusesTable
  console_users: ConsoleUsersTable
  console_sessions: ConsoleSessionsTable
  console_sign_in_failures: ConsoleSignInFailuresTable
  link_activity: LinkActivityTable
  organization_branding: OrganizationBrandingTable
}

export type OrganizationRow = Selectable<OrganizationsTable>
export type ApiKeyRow = Selectable<ApiKeysTable>
export type OnboardingLinkRow = Selectable<OnboardingLinksTable>
export type OrganizationBrandingRow = Selectable<OrganizationBrandingTable>
export type NewOnboardingLink = Insertable<OnboardingLinksTable>
export type WabaRow = Selectable<WabasTable>
export type NewWaba = Insertable<WabasTable>
export type PhoneNumberRow = Selectable<PhoneNumbersTable>
export type NewPhoneNumber = Insertable<PhoneNumbersTable>
export type SignupSessionRow = Selectable<SignupSessionsTable>
export type OutgoingWebhookRow = Selectable<OutgoingWebhooksTable>
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>
export type MetaWebhookReceiptRow = Selectable<MetaWebhookReceiptsTable>
export type MetaWabaInstallRow = Selectable<MetaWabaInstallsTable>
export type MessageRow = Selectable<MessagesTable>
export type NewMessage = Insertable<MessagesTable>
export type MessageStatusRow = Selectable<MessageStatusesTable>
export type ConsoleUserRow = Selectable<ConsoleUsersTable>
export type ConsoleSessionRow = Selectable<ConsoleSessionsTable>
export type LinkActivityRow = Selectable<LinkActivityTable>

import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

/** `test` objects are invisible to live keys and vice versa; every customer row carries one. */
export type Mode = 'test' | 'live'

/** Times are ISO-8601 UTC text with milliseconds; JSON columns are serialised text. */
export interface OrganizationsTable {
  id: string
  name: string
  created_at: string
}

export interface ApiKeysTable {
  id: string
  organization_id: string
  mode: Mode
  /** SHA-256 (hex) of the whole key; the key itself is never stored. */
  key_hash: string
  last_four: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

export interface IdempotencyKeysTable {
  organization_id: string
  mode: Mode
  key: string
  /** Method, path and body hashed together: a reused key with another request is a conflict. */
  request_hash: string
  response_status: number
  response_body: string
  created_at: string
}

export interface OnboardingLinksTable {
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
}

export interface Database {
  organizations: OrganizationsTable
  api_keys: ApiKeysTable
  idempotency_keys: IdempotencyKeysTable
  onboarding_links: OnboardingLinksTable
}

export type OrganizationRow = Selectable<OrganizationsTable>
export type ApiKeyRow = Selectable<ApiKeysTable>
export type OnboardingLinkRow = Selectable<OnboardingLinksTable>
export type NewOnboardingLink = Insertable<OnboardingLinksTable>
export type OnboardingLinkUpdate = Updateable<OnboardingLinksTable>
export type { Generated }

import type { OnboardingLinkRow } from '@onboard/db'
import { parseJson } from '../shared/json'
import type { Prefill } from '../shared/prefill'
import type { OnboardingLink } from './schemas'

/** Extra facts joined from the connected phone, when there is one. */
export interface LinkConnection {
  phoneNumber: string | null
  isPhoneRegistered: boolean | null
}

/** A pending link past its expiry reads as expired; reading never writes (see DESIGN §3). */
export function effectiveStatus(row: OnboardingLinkRow, now: Date): OnboardingLink['status'] {
  if (row.status === 'pending' && row.expires_at <= now.toISOString()) return 'expired'
  return row.status
}

function hostedUrlOf(publicBaseUrl: string, id: string): string {
  return `${publicBaseUrl}/signup/${id}`
}

export function toOnboardingLink(
  row: OnboardingLinkRow,
  options: { publicBaseUrl: string; now: Date; connection?: LinkConnection },
): OnboardingLink {
  return {
    id: row.id,
    name: row.name,
    status: effectiveStatus(row, options.now),
    externalId: row.external_id,
    metadata: parseJson(row.metadata),
    redirectUrl: row.redirect_url,
    hostedUrl: hostedUrlOf(options.publicBaseUrl, row.id),
    phoneNumberId: row.phone_number_id,
    phoneNumber: options.connection?.phoneNumber ?? null,
    wabaId: row.waba_id,
    isPhoneRegistered: options.connection?.isPhoneRegistered ?? null,
    webhookUrl: row.webhook_url,
    webhookEvents: parseJson<string[]>(row.webhook_events),
    prefill: parseJson<Prefill>(row.prefill),
    preVerifiedPhoneIds: parseJson<string[]>(row.pre_verified_phone_ids),
    allowCoexistence: row.allow_coexistence === 1,
    lastError: row.last_error,
    cancelStep: row.cancel_step,
    allowedOrigins: parseJson<string[]>(row.allowed_origins) ?? [],
    locale: row.locale,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  }
}

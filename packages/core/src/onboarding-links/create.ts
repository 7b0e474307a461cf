import { linksStore } from '@onboard/db'
import { generateWebhookSecret } from '@onboard/webhooks'
import { addSeconds } from '../clock'
import type { CoreContext, Tenant } from '../context'
import { newUuid } from '../ids'
import { assertSignupAvailable, type MetaApps } from '../meta-apps'
import {
  assertWebhookTargetAllowed,
  type WebhookTargetPolicy,
} from '../outgoing-webhooks/url-policy'
import { encryptSecret } from '../secrets'
import { normalizeOrigins } from '../shared/origins'
import {
  type CreateOnboardingLinkInput,
  DEFAULT_LINK_TTL_SECONDS,
  type OnboardingLink,
} from './schemas'
import { toOnboardingLink } from './serialize'

/** What a deployment's config decides about links: which modes can sign up, which targets. */
export interface LinkCreationRules {
  metaApps: MetaApps
  webhookTargets: WebhookTargetPolicy
}

export async function createOnboardingLink(
  ctx: CoreContext,
  rules: LinkCreationRules,
  tenant: Tenant,
  input: CreateOnboardingLinkInput,
): Promise<OnboardingLink> {
  assertSignupAvailable(rules.metaApps, tenant.mode)
  if (input.webhookUrl !== undefined) {
    assertWebhookTargetAllowed(rules.webhookTargets, input.webhookUrl, 'webhookUrl')
  }
  const now = ctx.now()
  // A webhook without a secret could never be verified, so one is generated and shown once.
  const webhookSecret =
    input.webhookUrl === undefined ? undefined : (input.webhookSecret ?? generateWebhookSecret())
  const row = {
    id: newUuid(),
    organization_id: tenant.organizationId,
    mode: tenant.mode,
    name: input.name,
    external_id: input.externalId ?? null,
    metadata: input.metadata === undefined ? null : JSON.stringify(input.metadata),
    redirect_url: input.redirectUrl ?? null,
    webhook_url: input.webhookUrl ?? null,
    webhook_secret_enc:
      webhookSecret === undefined ? null : encryptSecret(ctx.keyring, webhookSecret),
    webhook_events: input.webhookEvents === undefined ? null : JSON.stringify(input.webhookEvents),
    prefill: input.prefill === undefined ? null : JSON.stringify(input.prefill),
    pre_verified_phone_ids:
      input.preVerifiedPhoneIds === undefined ? null : JSON.stringify(input.preVerifiedPhoneIds),
    allow_coexistence: input.allowCoexistence ? 1 : 0,
    locale: input.locale ?? null,
    status: 'pending' as const,
    expires_at: addSeconds(now, input.expiresInSeconds ?? DEFAULT_LINK_TTL_SECONDS).toISOString(),
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    completed_at: null,
    last_error: null,
    cancel_step: null,
    phone_number_id: null,
    waba_id: null,
    finish_meta_waba_id: null,
    finish_meta_phone_number_id: null,
    finish_meta_business_id: null,
    finish_received_at: null,
    allowed_origins: input.allowedOrigins?.length
      ? JSON.stringify(normalizeOrigins(input.allowedOrigins))
      : null,
    expired_event_at: null,
    failed_events: 0,
    finish_event: null,
    finish_changes: 0,
    unattended_retry_at: null,
  }
  await linksStore.insertLink(ctx.db, row)
  const link = toOnboardingLink(row, { publicBaseUrl: ctx.publicBaseUrl, now })
  // The secret is shown once, in this response; later reads never carry it.
  return webhookSecret === undefined ? link : { ...link, webhookSecret }
}

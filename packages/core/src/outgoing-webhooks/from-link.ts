import { type Db, endpointsStore, type OnboardingLinkRow } from '@onboard/db'
import { generateWebhookSecret } from '@onboard/webhooks'
import { newPrefixedId } from '../ids'
import { encryptSecret, type Keyring } from '../secrets'

export type LinkWebhookSettings = Pick<
  OnboardingLinkRow,
  'id' | 'organization_id' | 'mode' | 'webhook_url' | 'webhook_secret_enc' | 'webhook_events'
>

/**
 * The auto-registration of an onboarding link's `webhookUrl`: an endpoint with the link's
 * url, secret and events, scoped to the WABA that just connected. Call it inside the
 * completion transaction *before* recording `phone_number.connected`, so the new endpoint
 * receives that event when it subscribes to it. Returns null when the link has no webhook.
 */
export async function createOutgoingWebhookForLink(
  trx: Db,
  input: { link: LinkWebhookSettings; wabaId: string; keyring: Keyring; now?: Date },
): Promise<{ id: string } | null> {
  const { link } = input
  if (link.webhook_url === null) return null
  const at = (input.now ?? new Date()).toISOString()
  const id = newPrefixedId('we')
  await endpointsStore.insertEndpoint(trx, {
    id,
    organization_id: link.organization_id,
    mode: link.mode,
    url: link.webhook_url,
    description: 'Registered by onboarding link',
    // The same keyring encrypts both tables, so the link's ciphertext is copied as is. Without a
    // secret on the link one is generated; the customer reads it by rotating.
    secret_enc: link.webhook_secret_enc ?? encryptSecret(input.keyring, generateWebhookSecret()),
    previous_secret_enc: null,
    previous_secret_expires_at: null,
    events: link.webhook_events ?? '[]',
    waba_id: input.wabaId,
    onboarding_link_id: link.id,
    enabled: 1,
    disabled_reason: null,
    disabled_message: null,
    disabled_at: null,
    failing_since: null,
    created_at: at,
    updated_at: at,
  })
  return { id }
}

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
  // A lifecycle event may have registered the endpoint already, awaiting this WABA: it
  // becomes the WABA's, so the customer sees one endpoint per link.
  const awaiting = await endpointsStore.scopeAwaitingLinkEndpoint(trx, link.id, input.wabaId, at)
  if (awaiting !== undefined) return { id: awaiting }
  const id = newPrefixedId('we')
  await endpointsStore.insertEndpoint(trx, {
    ...endpointRowOf(link, link.webhook_url, input.keyring, at),
    id,
    waba_id: input.wabaId,
  })
  return { id }
}

/**
 * The link's own endpoint before it has a WABA, registered by its first lifecycle event
 * (onboarding_link.opened and the like) that its `webhookEvents` subscribes to: it hears
 * only that link's events until the completion scopes it to the WABA. Returns its id, or
 * null when the link has no webhook. At most one per link, even for events raised at once.
 */
export async function ensureAwaitingLinkEndpoint(
  trx: Db,
  input: { link: LinkWebhookSettings; keyring: Keyring; now: Date },
): Promise<string | null> {
  const { link } = input
  if (link.webhook_url === null) return null
  return endpointsStore.insertAwaitingLinkEndpoint(trx, {
    ...endpointRowOf(link, link.webhook_url, input.keyring, input.now.toISOString()),
    id: newPrefixedId('we'),
    waba_id: null,
    onboarding_link_id: link.id,
  })
}

function endpointRowOf(link: LinkWebhookSettings, url: string, keyring: Keyring, at: string) {
  return {
    organization_id: link.organization_id,
    mode: link.mode,
    url,
    description: 'Registered by onboarding link',
    // The same keyring encrypts both tables, so the link's ciphertext is copied as is. Without a
    // secret on the link one is generated; the customer reads it by rotating.
    secret_enc: link.webhook_secret_enc ?? encryptSecret(keyring, generateWebhookSecret()),
    previous_secret_enc: null,
    previous_secret_expires_at: null,
    events: link.webhook_events ?? '[]',
    onboarding_link_id: link.id,
    enabled: 1,
    disabled_reason: null,
    disabled_message: null,
    disabled_at: null,
    failing_since: null,
    created_at: at,
    updated_at: at,
  }
}

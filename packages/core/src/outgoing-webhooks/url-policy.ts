import { isBlockedHost } from '@onboard/webhooks'
import { errors } from '../errors'

/** What the deployment allows as a webhook target (`WEBHOOK_ALLOW_PRIVATE_TARGETS`). */
export interface WebhookTargetPolicy {
  allowPrivateTargets: boolean
}

/**
 * Refuses, when private targets are not allowed, a webhook URL whose host is an IP literal in
 * a range the delivery agent would refuse anyway, or a localhost name (`localhost`,
 * `foo.localhost`, `LOCALHOST.`): such an endpoint could never be delivered. WHATWG URL
 * parsing normalises every spelling (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`,
 * `[::ffff:127.0.0.1]`) to the address it means and lowercases names, and the rules are the
 * delivery agent's own (`isBlockedHost`). Other host names are still checked when
 * connecting, since what they resolve to can change. `field` names the field in the 400 (`url`, `webhookUrl`).
 */
export function assertWebhookTargetAllowed(
  policy: WebhookTargetPolicy,
  url: string,
  field: string,
): void {
  if (policy.allowPrivateTargets) return
  const host = new URL(url).hostname
  const address = host.startsWith('[') ? host.slice(1, -1) : host
  if (isBlockedHost(address)) {
    throw errors.validation([
      {
        field,
        message: `must not point to a private, loopback, link-local or reserved address (${address}): this service does not deliver there`,
      },
    ])
  }
}

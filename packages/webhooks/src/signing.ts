import { createHmac } from 'node:crypto'
import { secretKeyBytes } from './secrets'

export interface SignInput {
  /** The delivery id (`msg_…`): the same on every attempt, so receivers can deduplicate. */
  id: string
  /** Unix seconds of this attempt: re-signed on every try, as Svix does. */
  timestamp: number
  body: string
  /** Every secret that signs: the current one, then the previous one during a rotation. */
  secrets: readonly (string | Buffer)[]
}

/** `webhook-signature`: space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. */
export function signPayload(input: SignInput): string {
  const content = `${input.id}.${input.timestamp}.${input.body}`
  return input.secrets
    .map((secret) => {
      const key = typeof secret === 'string' ? secretKeyBytes(secret) : secret
      return `v1,${createHmac('sha256', key).update(content).digest('base64')}`
    })
    .join(' ')
}

export interface WebhookHeaders extends Record<string, string> {
  'content-type': string
  'user-agent': string
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

/** The Standard Webhooks headers of one attempt. */
export function webhookHeaders(input: SignInput): WebhookHeaders {
  return {
    'content-type': 'application/json',
    'user-agent': 'onboard-webhooks/1',
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signPayload(input),
  }
}

import { createHmac } from 'node:crypto'
import { metaJson } from './payloads'

const TIMEOUT_MS = 10_000

export interface SignedWebhook {
  /** The exact bytes sent, written as Meta writes them. */
  body: string
  /** `X-Hub-Signature-256`: `sha256=<hex HMAC-SHA256 of body under the app secret>`. */
  signature: string
}

export function signWebhook(payload: object, appSecret: string): SignedWebhook {
  const body = metaJson(payload)
  return {
    body,
    signature: `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`,
  }
}

/** POSTs a signed webhook as Meta does; rejects when the target cannot be reached. */
export function postWebhook(target: URL, signed: SignedWebhook): Promise<Response> {
  return fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signed.signature },
    body: signed.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  })
}

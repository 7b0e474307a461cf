import { metaWebhooks } from '@onboard/core'
import { SANDBOX_EXPIRED_CODE, type SignupResult } from '@onboard/meta-sandbox'
import { z } from 'zod'
import type { TestApi } from './harness'
import { readBody, readJson, type Shape, shapes } from './responses'
import { callbackBody, pageConfig, postCallback } from './signup'

export const SESSIONS = '/v1/organization/embedded-signup/sessions'
export const PROFILE_CALLBACK = '/v1/organization/whatsapp/business-profiles/callback'

/** Creates a session with `key` and returns the documented `{id, url, expires_at}`. */
export async function createSession(
  api: TestApi,
  key: string,
  body: Record<string, unknown> = {},
): Promise<Shape<'createdSession'>> {
  const res = await api.request(SESSIONS, {
    method: 'POST',
    key,
    json: { redirect_uri: 'https://example.com/whatsapp/callback', state: 'csrf-123', ...body },
  })
  if (res.status !== 201) throw new Error(`create session: ${res.status} ${await res.text()}`)
  return readJson(res, shapes.createdSession)
}

export async function readSession(api: TestApi, key: string, id: string) {
  const res = await api.request(`${SESSIONS}/${id}`, { key })
  if (res.status !== 200) throw new Error(`get session: ${res.status} ${await res.text()}`)
  return readJson(res, shapes.session)
}

/** The query string of a redirect URL as a plain object. */
export function paramsOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams)
}

export async function completeSessionManually(
  api: TestApi,
  key: string,
  id: string,
  wabaId: string | null,
) {
  return api.request(`${SESSIONS}/${id}/complete`, { method: 'POST', key, json: { wabaId } })
}

/**
 * The hosted page received Meta's FINISH for `result` and posted it, but the code could not be
 * used (expired): the session fails, with the FINISH ids recorded for a manual completion.
 */
export async function finishWithExpiredCode(api: TestApi, id: string, result: SignupResult) {
  const { nonce } = await pageConfig(api, id)
  const res = await postCallback(api, id, {
    ...callbackBody(nonce, result),
    code: SANDBOX_EXPIRED_CODE,
  })
  if (res.status !== 400) throw new Error(`callback: ${res.status} ${await res.text()}`)
}

/**
 * POST /__sandbox/webhooks/emit with `key` (a test key: emitting is scoped to an organisation)
 * and `body` (its `target` defaults to this server's callback).
 */
export async function emitMetaWebhook(
  api: TestApi,
  key: string | null,
  body: Record<string, unknown>,
) {
  return api.request('/__sandbox/webhooks/emit', {
    method: 'POST',
    ...(key ? { key } : {}),
    json: { target: `${api.url}/webhooks/meta`, ...body },
  })
}

/** Meta's account_update `kind` for the WABA, emitted by the sandbox, received and processed. */
export async function receiveAccountUpdate(
  api: TestApi,
  key: string,
  kind: 'partner_app_installed' | 'partner_app_uninstalled' | 'partner_removed',
  metaWabaId: string,
) {
  const res = await emitMetaWebhook(api, key, { kind, wabaId: metaWabaId })
  if (res.status !== 200) throw new Error(`emit: ${res.status} ${await res.text()}`)
  await metaWebhooks.processReceipt(api.core, await emittedReceiptId(res))
}

/**
 * The receipt id our /webhooks/meta answered the sandbox's emit with: the sandbox relays that
 * answer's body as text in `response.body`.
 */
export async function emittedReceiptId(res: Response): Promise<string> {
  const emitted = await readBody<{ response: { body: string } }>(res)
  const answer = z.object({ data: shapes.metaReceipt }).parse(JSON.parse(emitted.response.body))
  return answer.data.receiptId
}

/** Meta's PARTNER_APP_INSTALLED for the WABA, emitted by the sandbox, received and processed. */
export async function receiveInstall(api: TestApi, key: string, metaWabaId: string) {
  await receiveAccountUpdate(api, key, 'partner_app_installed', metaWabaId)
}

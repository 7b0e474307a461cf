import { SANDBOX_ANSWER_LOST_RECIPIENT, SANDBOX_FAILING_RECIPIENTS } from '@onboard/meta-sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApi, type TestApi } from './support/harness'
import { type OpenApiDocument, readBody, readData, readError, readList } from './support/responses'
import { completeWith, createLink } from './support/signup'

const TEXT = { type: 'text', text: { body: 'Your order has shipped.' } }

/**
 * A retried send never sends twice: when Meta's answer is lost after the request left (the
 * sandbox counts the send, then breaks the connection) or Meta answers 5xx, the message is
 * stored as `unknown` and the Idempotency-Key keeps that answer, so a retry with the key
 * replays it without reaching Meta again.
 */
describe('sending messages: Idempotency-Key when Meta’s outcome is unknown', () => {
  let api: TestApi
  let org: { id: string; test: string; live: string }
  let phoneId: string
  let metaPhoneId: string

  beforeAll(async () => {
    api = await startTestApi()
    org = await api.createOrganization()
    const link = await createLink(api, org.test)
    const { res } = await completeWith(api, link.id, 'success')
    expect(res.status).toBe(200)
    const got = await api.request(`/v1/onboarding-links/${link.id}`, { key: org.test })
    const linked = (await readData(got, 'link')).phoneNumberId
    if (linked === null) throw new Error('the completed link names no phone')
    phoneId = linked
    const phone = await api.request(`/v1/phones/${phoneId}`, { key: org.test })
    metaPhoneId = (await readData(phone, 'phoneDetail')).metaPhoneNumberId
  })
  afterAll(async () => {
    await api.close()
  })

  const send = (json: unknown, idempotencyKey?: string, key = org.test) =>
    api.request(`/v1/phones/${phoneId}/messages`, {
      method: 'POST',
      key,
      json,
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    })

  /** How many sends the sandbox (Meta) accepted for the number. */
  const sendsReachingMeta = async () =>
    (await api.sandbox.state.phone(metaPhoneId))?.messagesAccepted ?? 0

  it('documents the unknown status, the nullable wamid and the error’s messageId', async () => {
    const doc = await readBody<OpenApiDocument>(await api.request('/openapi.json'))
    const message = doc.components.schemas.Message?.properties
    expect(message?.status?.enum).toContain('unknown')
    expect(JSON.stringify(message?.wamid)).toContain('null')
    expect(doc.components.schemas.Error?.properties?.error?.properties?.messageId).toBeDefined()
    const described = doc.paths['/v1/phones/{id}/messages']?.post?.responses['503']?.description
    expect(described).toContain('meta_outcome_unknown')
  })

  it('a lost answer is stored as unknown, and a retry with the key replays it without sending', async () => {
    const before = await sendsReachingMeta()
    const body = { to: `+${SANDBOX_ANSWER_LOST_RECIPIENT}`, ...TEXT }
    const first = await send(body, 'lost-answer-1')
    const error = await readError(first.clone())
    const firstText = await first.text()
    expect(first.status).toBe(503)
    expect(await sendsReachingMeta()).toBe(before + 1)
    expect(error.code).toBe('meta_outcome_unknown')
    expect(error.messageId).toMatch(/^wmsg_/)
    expect(error.message).toContain(error.messageId)
    // Retrying cannot settle an unknown outcome: no Retry-After invites one.
    expect(first.headers.get('retry-after')).toBeNull()

    const retry = await send(body, 'lost-answer-1')
    expect(retry.status).toBe(503)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(await retry.text()).toBe(firstText)
    expect(await sendsReachingMeta()).toBe(before + 1)

    const stored = await api.request(`/v1/messages/${error.messageId}`, { key: org.test })
    expect(stored.status).toBe(200)
    const message = await readData(stored, 'message')
    expect(message).toMatchObject({
      id: error.messageId,
      phoneNumberId: phoneId,
      wamid: null,
      to: body.to,
      type: 'text',
      status: 'unknown',
      statuses: [],
      content: { ...body, messaging_product: 'whatsapp' },
    })
    const list = (
      await readList(
        await api.request(`/v1/phones/${phoneId}/messages`, { key: org.test }),
        'message',
      )
    ).data
    expect(list.map((m) => m.id)).toContain(error.messageId)
  })

  it('another organisation’s key with the same Idempotency-Key value neither replays nor sees it', async () => {
    const body = { to: `+${SANDBOX_ANSWER_LOST_RECIPIENT}`, ...TEXT }
    const first = await send(body, 'shared-key-value')
    expect(first.status).toBe(503)
    const { messageId } = await readError(first)
    const before = await sendsReachingMeta()

    const other = await api.createOrganization('Other')
    for (const key of [other.test, org.live]) {
      const res = await send(body, 'shared-key-value', key)
      expect(res.status).toBe(404)
      expect(res.headers.get('idempotent-replayed')).toBeNull()
      expect((await readError(res)).code).toBe('not_found')
      const read = await api.request(`/v1/messages/${messageId}`, { key })
      expect(read.status).toBe(404)
    }
    expect(await sendsReachingMeta()).toBe(before)
  })

  it('Meta’s 5xx is an unknown outcome too: stored once, the key replays it', async () => {
    const body = {
      to: `+${Object.keys(SANDBOX_FAILING_RECIPIENTS).find((r) => r.endsWith('503'))}`,
      ...TEXT,
    }
    const count = async () =>
      (
        await readList(
          await api.request(`/v1/phones/${phoneId}/messages`, { key: org.test }),
          'message',
        )
      ).pagination.total
    const before = await count()
    const first = await send(body, 'meta-5xx-1')
    const firstError = await readError(first.clone())
    const firstText = await first.text()
    expect(first.status).toBe(503)
    expect(firstError.code).toBe('meta_outcome_unknown')
    const retry = await send(body, 'meta-5xx-1')
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(await retry.text()).toBe(firstText)
    expect(await count()).toBe(before + 1)
  })

  it('a definite refusal stores nothing and releases the key: the retry reaches Meta again', async () => {
    // 131047 (outside the customer service window): Meta sent nothing, so the same key may
    // be used again once the customer writes. The sandbox refuses it again, unreplayed.
    const body = { to: '+15550131047', ...TEXT }
    const first = await send(body, 'refused-1')
    expect(first.status).toBe(409)
    const retry = await send(body, 'refused-1')
    expect(retry.status).toBe(409)
    expect(retry.headers.get('idempotent-replayed')).toBeNull()
    expect((await readError(retry)).code).toBe('outside_customer_service_window')
  })

  it('a retry without the key is a new send (the client’s choice)', async () => {
    const before = await sendsReachingMeta()
    const body = { to: `+${SANDBOX_ANSWER_LOST_RECIPIENT}`, ...TEXT }
    const first = await send(body)
    const second = await send(body)
    expect(first.status).toBe(503)
    expect(second.status).toBe(503)
    expect((await readError(first)).messageId).not.toBe((await readError(second)).messageId)
    expect(await sendsReachingMeta()).toBe(before + 2)
  })

  it('an accepted send replays its 201 with the key and reaches Meta once', async () => {
    const before = await sendsReachingMeta()
    const body = { to: '+16505551234', ...TEXT }
    const first = await send(body, 'accepted-1')
    const firstText = await first.text()
    expect(first.status).toBe(201)
    const retry = await send(body, 'accepted-1')
    expect(retry.status).toBe(201)
    expect(await retry.text()).toBe(firstText)
    expect(await sendsReachingMeta()).toBe(before + 1)
  })
})

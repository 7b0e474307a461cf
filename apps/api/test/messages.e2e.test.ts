import { SANDBOX_UNDELIVERABLE_RECIPIENT } from '@onboard/meta-sandbox'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { waitFor } from '../../../workers/webhooks/test/support/receiver'
import { useOrganization, useReceiver, useTestApi, useTestWorkers } from './support/fixture'
import { readData, readJson, readList, type Shape, shapes } from './support/responses'
import { completeWith, createLink } from './support/signup'

interface Delivered {
  event: string
  data: { messageId: string | null; phoneNumberId: string; status: { id: string; status: string } }
}

/**
 * A number connected through a test link sends through our API; the sandbox answers as
 * Graph does and then sends Meta's status webhooks, signed, to our /webhooks/meta; the worker
 * turns them into message.* events for the customer's receiver and into the stored history.
 */
describe('sending messages end to end: API → Meta (sandbox) → statuses → the customer', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })
  useTestWorkers(api, { scope: 'test' })
  const customer = useReceiver(undefined, { scope: 'test' })

  /** The link after its signup, with the phone number it connected. */
  const connectedLink = async (id: string) => {
    const res = await api.request(`/v1/onboarding-links/${id}`, { key: org.test })
    const link = await readData(res, 'link')
    if (!link.phoneNumberId)
      throw new Error(`link ${id} connected no phone number (${link.status})`)
    return { ...link, phoneNumberId: link.phoneNumberId }
  }

  const send = (phoneId: string, json: unknown, headers: Record<string, string> = {}) =>
    api.request(`/v1/phones/${phoneId}/messages`, { method: 'POST', key: org.test, json, headers })

  it('sends a text and a template; message.sent and message.delivered reach the customer and the history', async () => {
    const link = await createLink(api, org.test)
    const { res } = await completeWith(api, link.id, 'success')
    expect(res.status).toBe(200)
    const connected = await connectedLink(link.id)
    const phoneId = connected.phoneNumberId
    const hook = await api.request('/v1/outgoing-webhooks', {
      method: 'POST',
      key: org.test,
      json: { url: customer.url, events: ['message.sent', 'message.delivered'] },
    })
    expect(hook.status).toBe(201)
    const { secret } = await readData(hook, 'endpoint')
    if (!secret) throw new Error('a created endpoint shows its secret once')

    const templates = await api.request(`/v1/phones/${phoneId}/templates`, { key: org.test })
    expect(templates.status).toBe(200)
    // The templates come whole from Meta, unpaginated: `{ data }` without `pagination`.
    const all = await readJson(templates, z.object({ data: z.array(shapes.template) }))
    const template = all.data.find((t) => t.name === 'order_confirmation')
    expect(template).toMatchObject({ language: 'en_US', category: 'UTILITY', status: 'APPROVED' })
    expect(template?.components[0]).toMatchObject({ type: 'BODY' })

    const textRes = await send(phoneId, {
      to: '+16505551234',
      type: 'text',
      text: { body: 'Your order has shipped.' },
    })
    expect(textRes.status).toBe(201)
    const text = await readData(textRes, 'sentMessage')
    expect(text).toEqual({
      id: expect.stringMatching(/^wmsg_/),
      wamid: expect.stringMatching(/^wamid\./),
      to: '+16505551234',
      type: 'text',
      status: 'accepted',
      createdAt: expect.any(String),
    })
    const templateRes = await send(phoneId, {
      messaging_product: 'whatsapp',
      to: '16505551234',
      type: 'template',
      template: {
        name: 'order_confirmation',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: '#1042' },
              { type: 'text', text: 'Friday' },
            ],
          },
        ],
      },
    })
    expect(templateRes.status).toBe(201)
    const sentTemplate = await readData(templateRes, 'sentMessage')
    expect(sentTemplate).toMatchObject({ type: 'template', status: 'accepted', to: '16505551234' })

    // Two messages × (sent, delivered); read is not subscribed.
    await waitFor('sent and delivered for both messages', () => customer.requests.length >= 4)
    const verifier = new Webhook(secret)
    const delivered = customer.requests.map((r) => verifier.verify(r.body, r.headers) as Delivered)
    for (const message of [text, sentTemplate]) {
      const events = delivered.filter((d) => d.data.status.id === message.wamid)
      expect(events.map((e) => e.event).sort()).toEqual(['message.delivered', 'message.sent'])
      for (const event of events) {
        expect(event.data).toMatchObject({ messageId: message.id, phoneNumberId: phoneId })
      }
    }

    // The stored history shows both (and read, which the sandbox sends last).
    for (const message of [text, sentTemplate]) {
      let stored: Shape<'message'> | undefined
      await waitFor(`${message.id}'s history to show read`, async () => {
        const res = await api.request(`/v1/messages/${message.id}`, { key: org.test })
        stored = await readData(res, 'message')
        return stored.statuses.length >= 3
      })
      expect(stored?.wamid).toBe(message.wamid)
      expect(stored?.status).toBe('read')
      expect(stored?.statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read'])
    }

    const list = await api.request(`/v1/phones/${phoneId}/messages?limit=1`, { key: org.test })
    expect(list.status).toBe(200)
    const page = await readList(list, 'message')
    expect(page.pagination).toEqual({ page: 1, limit: 1, total: 2, hasMore: true })
    expect(page.data.map((m) => m.id)).toEqual([sentTemplate.id])
    expect(page.data[0]).toMatchObject({
      phoneNumberId: phoneId,
      wabaId: connected.wabaId,
      type: 'template',
      content: { messaging_product: 'whatsapp', template: { name: 'order_confirmation' } },
    })
  })

  it('a retry with the same Idempotency-Key replays the answer and sends once', async () => {
    const link = await createLink(api, org.test)
    await completeWith(api, link.id, 'success')
    const connected = await connectedLink(link.id)
    const body = { to: '+16505551234', type: 'text', text: { body: 'Once only' } }
    const first = await send(connected.phoneNumberId, body, { 'idempotency-key': 'send-1' })
    const again = await send(connected.phoneNumberId, body, { 'idempotency-key': 'send-1' })
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await again.text()).toBe(await first.text())
    const list = await readList(
      await api.request(`/v1/phones/${connected.phoneNumberId}/messages`, { key: org.test }),
      'message',
    )
    expect(list.pagination.total).toBe(1)
  })

  it('a message Meta accepts but cannot deliver ends failed, with Meta’s error', async () => {
    const link = await createLink(api, org.test)
    await completeWith(api, link.id, 'success')
    const connected = await connectedLink(link.id)
    const res = await send(connected.phoneNumberId, {
      to: `+${SANDBOX_UNDELIVERABLE_RECIPIENT}`,
      type: 'text',
      text: { body: 'Hello?' },
    })
    expect(res.status).toBe(201)
    const sent = await readData(res, 'sentMessage')
    let stored: Shape<'message'> | undefined
    await waitFor('the failed status in the history', async () => {
      stored = await readData(
        await api.request(`/v1/messages/${sent.id}`, { key: org.test }),
        'message',
      )
      return stored.status === 'failed'
    })
    expect(stored?.errors?.[0]?.code).toBe(131026)
    expect(stored?.statuses).toEqual([
      expect.objectContaining({ status: 'sent', errors: null }),
      expect.objectContaining({
        status: 'failed',
        errors: [expect.objectContaining({ code: 131026 })],
      }),
    ])
  })
})

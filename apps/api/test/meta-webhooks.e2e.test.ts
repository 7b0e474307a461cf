import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { waitFor } from '../../../workers/webhooks/test/support/receiver'
import { useOrganization, useReceiver, useTestApi, useTestWorkers } from './support/fixture'
import { readBody, readData } from './support/responses'
import { completeWith, createLink } from './support/signup'

/**
 * A signed Meta-shaped POST (from the sandbox emitter) to /webhooks/meta, through the
 * worker's receipt processing and the delivery worker, to a customer's receiver.
 */
describe('Meta webhooks end to end: Meta → us → the customer', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })
  useTestWorkers(api, { scope: 'test' })
  const customer = useReceiver(undefined, { scope: 'test' })

  const emit = async (json: Record<string, unknown>) => {
    const res = await api.request('/__sandbox/webhooks/emit', {
      method: 'POST',
      key: org.test,
      json: { target: `${api.url}/webhooks/meta`, ...json },
    })
    expect(res.status).toBe(200)
    const emitted = await readBody<{
      body: string
      signature: string
      response: { status: number; body: string }
    }>(res)
    expect(emitted.response.status).toBe(200)
    return emitted
  }
  /** The signing secret of a just-created endpoint (create answers with it, once). */
  const secretOf = async (created: Response) => {
    const endpoint = await readData(created, 'endpoint')
    if (endpoint.secret === undefined) throw new Error(`${endpoint.id} came without its secret`)
    return endpoint.secret
  }
  /** A completed link, read back. */
  const linkOf = async (id: string) =>
    readData(await api.request(`/v1/onboarding-links/${id}`, { key: org.test }), 'link')

  it('relays an inbound text as a verified message.received delivery, once', async () => {
    const link = await createLink(api, org.test)
    const { res, result } = await completeWith(api, link.id, 'success')
    expect(res.status).toBe(200)
    const connected = await linkOf(link.id)
    const { phoneNumber } = connected
    if (phoneNumber === null) throw new Error('the completed link names no phone number')
    const hook = await api.request('/v1/outgoing-webhooks', {
      method: 'POST',
      key: org.test,
      json: { url: customer.url, events: ['message.received'], wabaId: connected.wabaId },
    })
    expect(hook.status).toBe(201)
    const secret = await secretOf(hook)

    const metaPhoneNumberId = result.event.data.phone_number_id
    const emitted = await emit({
      kind: 'inbound_text',
      phoneNumberId: metaPhoneNumberId,
      text: 'I would like a large pizza',
      messageId: 'wamid.E2E-1',
    })
    // Meta retries the identical body, and relays the same message in another batch.
    const again = await api.request('/webhooks/meta', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': emitted.signature },
      body: emitted.body,
    })
    expect((await readData(again, 'metaReceipt')).duplicate).toBe(true)
    await emit({ kind: 'inbound_text', phoneNumberId: metaPhoneNumberId, messageId: 'wamid.E2E-1' })

    await waitFor('the customer to receive message.received', () => customer.requests.length >= 1)
    const [request] = customer.requests
    const payload = new Webhook(secret).verify(request?.body ?? '', request?.headers ?? {})
    expect(payload).toEqual({
      event: 'message.received',
      timestamp: expect.any(String),
      organizationId: expect.any(String),
      data: {
        phoneNumberId: connected.phoneNumberId,
        wabaId: connected.wabaId,
        metaPhoneNumberId,
        metaWabaId: result.event.data.waba_id,
        displayPhoneNumber: phoneNumber.replace('+', ''),
        message: {
          from: '16505551234',
          id: 'wamid.E2E-1',
          timestamp: expect.any(String),
          type: 'text',
          text: { body: 'I would like a large pizza' },
        },
        contacts: [{ profile: { name: 'Sandbox Customer' }, wa_id: '16505551234' }],
      },
    })
    // Both receipts are processed before we look for a second delivery that must not come.
    await waitFor('every receipt to be processed', async () => {
      const pending = await api.core.db
        .selectFrom('meta_webhook_receipts')
        .select('id')
        .where('status', '=', 'pending')
        .execute()
      return pending.length === 0
    })
    const events = await api.core.db
      .selectFrom('events')
      .select('type')
      .where('type', '=', 'message.received')
      .execute()
    expect(events).toHaveLength(1)
    expect(customer.requests).toHaveLength(1)
  })

  it('an uninstall disconnects the phone, tells the customer, and shows in health', async () => {
    const link = await createLink(api, org.test)
    const { result } = await completeWith(api, link.id, 'success')
    const connected = await linkOf(link.id)
    const hook = await api.request('/v1/outgoing-webhooks', {
      method: 'POST',
      key: org.test,
      json: { url: customer.url, events: ['phone_number.disconnected'] },
    })
    const secret = await secretOf(hook)
    await emit({ kind: 'partner_removed', wabaId: result.event.data.waba_id })

    await waitFor('phone_number.disconnected', () => customer.requests.length >= 1)
    const [request] = customer.requests
    const payload = new Webhook(secret).verify(request?.body ?? '', request?.headers ?? {})
    expect(payload).toMatchObject({
      event: 'phone_number.disconnected',
      data: {
        phoneNumberId: connected.phoneNumberId,
        wabaId: connected.wabaId,
        externalId: 'customer-123',
        reason: 'partner_removed',
      },
    })
    const health = await readData(
      await api.request(`/v1/phones/${connected.phoneNumberId}/health`, { key: org.test }),
      'phoneHealth',
    )
    expect(health.status).toBe('not_ready')
    expect(health.capabilities).toMatchObject({ canSendMessages: false, canReceiveMessages: false })
    expect(health.issues).toContainEqual(
      expect.objectContaining({
        code: 'waba_disconnected',
        source: 'meta_webhook',
        severity: 'error',
      }),
    )
    const waba = await readData(
      await api.request(`/v1/wabas/${connected.wabaId}`, { key: org.test }),
      'waba',
    )
    expect(waba.status).toBe('disconnected')
  })
})

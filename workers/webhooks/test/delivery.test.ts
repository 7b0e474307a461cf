import { outgoingWebhooks } from '@onboard/core'
import { insertConnectedPhone } from '@onboard/core/testing'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import { type Fixture, startFixture } from './support/fixture'
import { type Receiver, startReceiver, waitFor } from './support/receiver'

describe('webhook delivery through BullMQ and a real receiver', () => {
  let fixture: Fixture | undefined
  const receivers: Receiver[] = []
  afterEach(async () => {
    await fixture?.close()
    fixture = undefined
    for (const receiver of receivers.splice(0)) await receiver.close()
  })

  async function receiver(...args: Parameters<typeof startReceiver>) {
    const started = await startReceiver(...args)
    receivers.push(started)
    return started
  }

  async function statusOf(endpointId: string, status: string) {
    const [delivery] = await (fixture as Fixture).deliveries(endpointId)
    return delivery?.status === status
  }

  it('signs so that standardwebhooks verifies a generated and a seed-style secret', async () => {
    fixture = await startFixture()
    const hook = await receiver()
    const generated = await fixture.endpoint({ url: hook.url })
    await fixture.endpoint({ url: hook.url, secret: 'whsec_my_secret_key_123' })
    const [id] = await fixture.emit('phone_number.connected', { phoneNumber: '+5491155551234' })
    await waitFor('two deliveries', () => hook.requests.length === 2)

    const [generatedDelivery] = await fixture.deliveries(generated.id)
    for (const request of hook.requests) {
      const body = JSON.parse(request.body)
      expect(body).toMatchObject({
        event: 'phone_number.connected',
        organizationId: fixture.tenant.organizationId,
        data: { phoneNumber: '+5491155551234' },
      })
      expect(request.headers['content-type']).toBe('application/json')
      expect(request.signature).toMatch(/^v1,/)
      const verifier =
        request.webhookId === generatedDelivery?.id
          ? new Webhook(generated.secret ?? '')
          : new Webhook('whsec_my_secret_key_123', { format: 'raw' })
      expect(verifier.verify(request.body, request.headers)).toEqual(body)
    }
    expect(hook.requests.map((r) => r.webhookId)).toContain(id)
  })

  it('retries on the schedule with the same webhook-id, recording every attempt', async () => {
    fixture = await startFixture({ env: { WEBHOOK_RETRY_DELAYS: '200ms,200ms,200ms' } })
    const hook = await receiver((_req, index) =>
      index < 2 ? { status: 500, body: 'not yet' } : { status: 200, body: 'thanks' },
    )
    const endpoint = await fixture.endpoint({ url: hook.url })
    const [id] = await fixture.emit('phone_number.connected')
    await waitFor('the delivery to succeed', () => statusOf(endpoint.id, 'delivered'))

    expect(hook.requests.map((r) => r.webhookId)).toEqual([id, id, id])
    const [delivery] = await fixture.deliveries(endpoint.id)
    expect(delivery).toMatchObject({ status: 'delivered', attemptCount: 3, lastError: null })
    expect(delivery?.attempts.map((a) => [a.httpStatus, a.responseBody, a.error])).toEqual([
      [500, 'not yet', 'HTTP 500'],
      [500, 'not yet', 'HTTP 500'],
      [200, 'thanks', null],
    ])
    expect(delivery?.attempts.every((a) => a.trigger === 'scheduled' && a.durationMs >= 0)).toBe(
      true,
    )
    const read = await outgoingWebhooks.getOutgoingWebhook(
      fixture.core,
      fixture.tenant,
      endpoint.id,
    )
    expect(read.failingSince).toBeNull()
  })

  it('fails for good after the last attempt, then a replay delivers with the same webhook-id', async () => {
    fixture = await startFixture({ env: { WEBHOOK_RETRY_DELAYS: '100ms,100ms' } })
    let up = false
    const hook = await receiver(() => (up ? { status: 204 } : { status: 503 }))
    const endpoint = await fixture.endpoint({ url: hook.url })
    const [id = ''] = await fixture.emit('phone_number.connected')
    await waitFor('the delivery to fail', () => statusOf(endpoint.id, 'failed'))
    expect(hook.requests).toHaveLength(3)
    const [failed] = await fixture.deliveries(endpoint.id)
    expect(failed).toMatchObject({ status: 'failed', attemptCount: 3, lastError: 'HTTP 503' })

    up = true
    const retry = await outgoingWebhooks.retryDelivery(
      fixture.core,
      fixture.tenant,
      endpoint.id,
      id,
    )
    await fixture.queue.enqueue([id])
    expect(retry.delivery.status).toBe('pending')
    await waitFor('the replay to succeed', () => statusOf(endpoint.id, 'delivered'))
    expect(hook.requests.map((r) => r.webhookId)).toEqual([id, id, id, id])

    // A replay after success sends again too.
    await outgoingWebhooks.retryDelivery(fixture.core, fixture.tenant, endpoint.id, id)
    await fixture.queue.enqueue([id])
    await waitFor('the second replay', () => hook.requests.length === 5)
    await waitFor(
      'it to be recorded',
      async () => (await fixture?.deliveries(endpoint.id))?.[0]?.attemptCount === 5,
    )
    const [delivery] = await fixture.deliveries(endpoint.id)
    expect(delivery?.attempts.map((a) => a.trigger)).toEqual([
      'scheduled',
      'scheduled',
      'scheduled',
      'manual',
      'manual',
    ])
  })

  it('signs with both secrets for a day after a rotation', async () => {
    fixture = await startFixture()
    const hook = await receiver()
    const endpoint = await fixture.endpoint({ url: hook.url })
    const rotated = await outgoingWebhooks.rotateOutgoingWebhookSecret(
      fixture.core,
      fixture.tenant,
      endpoint.id,
      {},
    )
    expect(rotated.secret).not.toBe(endpoint.secret)
    await fixture.emit('phone_number.connected')
    await waitFor('the delivery', () => hook.requests.length === 1)
    const [request] = hook.requests
    expect(request?.signature.split(' ')).toHaveLength(2)
    for (const secret of [endpoint.secret, rotated.secret]) {
      expect(() =>
        new Webhook(secret ?? '').verify(request?.body ?? '', request?.headers ?? {}),
      ).not.toThrow()
    }
    fixture.database.setNow(new Date(Date.now() + 25 * 3600 * 1000))
    const later = await outgoingWebhooks.loadDeliveryWork(fixture.core, request?.webhookId ?? '')
    expect(later?.secrets).toHaveLength(1)
  })

  it('disables the endpoint on 410 and says why; later events skip it', async () => {
    fixture = await startFixture()
    const hook = await receiver(() => ({ status: 410 }))
    const endpoint = await fixture.endpoint({ url: hook.url })
    await fixture.emit('phone_number.connected')
    await waitFor('the delivery to fail', () => statusOf(endpoint.id, 'failed'))
    const read = await outgoingWebhooks.getOutgoingWebhook(
      fixture.core,
      fixture.tenant,
      endpoint.id,
    )
    expect(read).toMatchObject({ enabled: false, disabledReason: 'gone' })
    expect(read.disabledMessage).toMatch(/410 Gone/)
    expect(await fixture.emit('phone_number.connected')).toEqual([])
    expect(hook.requests).toHaveLength(1)
  })

  it('delivers only to endpoints subscribed to the event type and in its WABA scope', async () => {
    fixture = await startFixture()
    const hook = await receiver()
    const [waba1, waba2] = [
      (await insertConnectedPhone(fixture.core, fixture.tenant)).wabaId,
      (await insertConnectedPhone(fixture.core, fixture.tenant)).wabaId,
    ]
    const everyWaba = await fixture.endpoint({ url: `${hook.url}?all` })
    const thisWaba = await fixture.endpoint({ url: `${hook.url}?this`, wabaId: waba1 })
    await fixture.endpoint({ url: `${hook.url}?other`, wabaId: waba2 })
    await fixture.endpoint({ url: `${hook.url}?messages`, events: ['message.received'] })
    const ids = await fixture.emit('phone_number.connected', {}, waba1)
    expect(ids).toHaveLength(2)
    await waitFor(
      'two deliveries',
      async () => (await statusOf(everyWaba.id, 'delivered')) && statusOf(thisWaba.id, 'delivered'),
    )
    expect(hook.requests.map((r) => r.webhookId).sort()).toEqual([...ids].sort())
  })

  it('honours Retry-After on 429', async () => {
    fixture = await startFixture({ env: { WEBHOOK_RETRY_DELAYS: '100ms' } })
    const hook = await receiver((_req, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 200 },
    )
    const endpoint = await fixture.endpoint({ url: hook.url })
    await fixture.emit('phone_number.connected')
    await waitFor(
      'the first attempt',
      async () => (await fixture?.deliveries(endpoint.id))?.[0]?.attemptCount === 1,
    )
    const [delivery] = await fixture.deliveries(endpoint.id)
    const attempt = delivery?.attempts[0]
    expect(delivery?.status).toBe('pending')
    expect(
      Date.parse(delivery?.nextAttemptAt ?? '') - Date.parse(attempt?.attemptedAt ?? ''),
    ).toBeGreaterThanOrEqual(3000)
  })

  it('drains an in-flight delivery on close', async () => {
    fixture = await startFixture()
    const hook = await receiver(() => ({ status: 200, delayMs: 700 }))
    const endpoint = await fixture.endpoint({ url: hook.url })
    await fixture.emit('phone_number.connected')
    await waitFor('the request to arrive', () => hook.requests.length === 1)
    await fixture.worker?.close()
    expect(await statusOf(endpoint.id, 'delivered')).toBe(true)
  })
})

describe('SSRF protection when private targets are not allowed', () => {
  let fixture: Fixture | undefined
  let hook: Receiver | undefined
  afterEach(async () => {
    await fixture?.close()
    await hook?.close()
  })

  it('refuses loopback, private, metadata and names resolving to them, without retrying', async () => {
    fixture = await startFixture({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' } })
    hook = await startReceiver()
    const port = new URL(hook.url).port
    const urls = [
      `http://127.0.0.1:${port}/webhooks`,
      `http://localhost:${port}/webhooks`,
      `http://[::1]:${port}/webhooks`,
      'https://10.0.0.1/webhooks',
      'https://169.254.169.254/latest/meta-data/',
    ]
    const endpoints = await Promise.all(urls.map((url) => fixture?.endpoint({ url })))
    await fixture.emit('phone_number.connected')
    for (const endpoint of endpoints) {
      const id = endpoint?.id ?? ''
      await waitFor(
        `the ${endpoint?.url} delivery to fail`,
        async () => (await fixture?.deliveries(id))?.[0]?.status === 'failed',
      )
      const [delivery] = await fixture.deliveries(id)
      expect(delivery?.attemptCount, endpoint?.url).toBe(1)
      expect(delivery?.lastError, endpoint?.url).toMatch(
        /^blocked: .*WEBHOOK_ALLOW_PRIVATE_TARGETS/,
      )
    }
    expect(hook.requests).toHaveLength(0)
  })
})

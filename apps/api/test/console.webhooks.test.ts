import { outgoingWebhooks } from '@onboard/core'
import { signPayload } from '@onboard/webhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ReceivedRequest,
  type Receiver,
  type Reply,
  startReceiver,
  waitFor,
} from '../../../workers/webhooks/test/support/receiver'
import { ConsoleClient, signedInClient } from './support/console'
import { startTestApi, type TestApi } from './support/harness'
import { readData, readList } from './support/responses'
import { startTestWorkers } from './support/workers'

const SECRET = /<code id="new-secret">(whsec_[^<]+)<\/code>/

/** True when `secret` is one of the request's `v1,` signatures. */
function signedWith(request: ReceivedRequest | undefined, secret: string): boolean {
  if (!request) return false
  const expected = signPayload({
    id: request.webhookId,
    timestamp: Number(request.timestamp),
    body: request.body,
    secrets: [secret],
  })
  return request.signature.split(' ').includes(expected)
}

describe('console: webhooks', () => {
  let api: TestApi
  let workers: { close: () => Promise<void> }
  let hook: Receiver
  let reply: (index: number) => Reply
  beforeAll(async () => {
    api = await startTestApi()
    workers = startTestWorkers(api)
    reply = () => ({ status: 200, body: 'thanks' })
    hook = await startReceiver((_request, index) => reply(index))
  })
  afterAll(async () => {
    await workers.close()
    await hook.close()
    await api.close()
  })

  /** Adds an endpoint through the console form; returns its id and the secret shown once. */
  async function addEndpoint(client: ConsoleClient, url = hook.url) {
    await client.get('/console/webhooks')
    const { response, html } = await client.post('/console/webhooks', {
      url,
      description: 'Receiver',
      events: ['message.sent', 'phone_number.connected'],
    })
    expect(response.status).toBe(200)
    const id = /action="\/console\/webhooks\/(we_[0-9A-Za-z]+)\/test"/.exec(html)?.[1]
    const secret = SECRET.exec(html)?.[1]
    if (!id || !secret) throw new Error(`no endpoint on the page: ${html.slice(0, 400)}`)
    return { id, secret, html }
  }

  it('creates an endpoint, shows its secret once, sends a test event and shows the attempt, replays it', async () => {
    const { client, user } = await signedInClient(api)
    const { id, secret, html } = await addEndpoint(client)
    expect(html).toContain('shown this once')
    // The API sees the same endpoint; the secret is not on any later page.
    const viaApi = await api.request(`/v1/outgoing-webhooks/${id}`, { key: user.keys.test })
    expect(await readData(viaApi, 'endpoint')).toMatchObject({
      url: hook.url,
      description: 'Receiver',
    })
    const again = await client.get(`/console/webhooks/${id}`)
    expect(again.html).not.toContain(secret)
    expect(again.html).not.toMatch(SECRET)

    const before = hook.requests.length
    const test = await client.post(`/console/webhooks/${id}/test`)
    expect(test.response.status).toBe(303)
    expect(test.response.headers.get('location')).toBe(`/console/webhooks/${id}?done=tested`)
    await waitFor('the test event', () => hook.requests.length === before + 1)
    const request = hook.requests.at(-1)
    expect(signedWith(request, secret)).toBe(true)
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ event: 'webhook.test' })
    const deliveryId = request?.webhookId as string
    await waitFor('the attempt on the page', async () =>
      (await client.get(`/console/webhooks/${id}`)).html.includes('<td>200</td>'),
    )
    const page = (await client.get(`/console/webhooks/${id}`)).html
    expect(page).toContain(deliveryId)
    expect(page).toContain('webhook.test')
    expect(page).toContain('thanks')
    expect(page).toMatch(/\d+ ms<\/td>/)

    const replay = await client.post(`/console/webhooks/${id}/deliveries/${deliveryId}/replay`)
    expect(replay.response.status).toBe(303)
    await waitFor('the replay', () => hook.requests.length === before + 2)
    expect(hook.requests.at(-1)?.webhookId).toBe(deliveryId)
    await waitFor('the replayed attempt on the page', async () => {
      const html = (await client.get(`/console/webhooks/${id}`)).html
      return html.includes('2 attempts') && html.includes('<td>manual</td>')
    })
  })

  it('shows why an attempt failed: the status code and the start of the body', async () => {
    const { client } = await signedInClient(api)
    const { id } = await addEndpoint(client)
    reply = () => ({ status: 500, body: 'database is down' })
    try {
      const before = hook.requests.length
      await client.post(`/console/webhooks/${id}/test`)
      await waitFor('the failing attempt', () => hook.requests.length > before)
      await waitFor('the failure on the page', async () => {
        const html = (await client.get(`/console/webhooks/${id}`)).html
        return html.includes('<td>500</td>') && html.includes('database is down')
      })
    } finally {
      reply = () => ({ status: 200, body: 'thanks' })
    }
  })

  it('refuses a bad form with the API’s reasons next to the fields, adding nothing', async () => {
    const { client, user } = await signedInClient(api)
    await client.get('/console/webhooks')
    const { response, html } = await client.post('/console/webhooks', {
      url: 'ftp://example.com/hook',
      description: 'x'.repeat(501),
    })
    expect(response.status).toBe(400)
    expect(html).toMatch(/id="new-url-error">URL [^<]+</)
    expect(html).toMatch(/id="new-events-error">Events [^<]+</)
    expect(html).toMatch(/id="new-description-error">Description [^<]+</)
    expect(html).toContain('aria-invalid="true"')
    // What was typed is kept.
    expect(html).toContain('value="ftp://example.com/hook"')
    const list = await api.request('/v1/outgoing-webhooks', { key: user.keys.test })
    expect((await readList(list, 'endpoint')).pagination.total).toBe(0)

    // The edit form checks the same way and changes nothing.
    const { id } = await addEndpoint(client)
    await client.get(`/console/webhooks/${id}`)
    const edit = await client.post(`/console/webhooks/${id}`, { url: 'not a url', events: [] })
    expect(edit.response.status).toBe(400)
    expect(edit.html).toMatch(/id="edit-url-error">URL/)
    expect(edit.html).toMatch(/id="edit-events-error">Events/)
    const got = await api.request(`/v1/outgoing-webhooks/${id}`, { key: user.keys.test })
    expect((await readData(got, 'endpoint')).url).toBe(hook.url)

    // A good edit is saved.
    const saved = await client.post(`/console/webhooks/${id}`, {
      url: `${hook.url}/v2`,
      events: ['message.read'],
      description: '',
    })
    expect(saved.response.status).toBe(303)
    const after = await readData(
      await api.request(`/v1/outgoing-webhooks/${id}`, { key: user.keys.test }),
      'endpoint',
    )
    expect(after).toMatchObject({
      url: `${hook.url}/v2`,
      events: ['message.read'],
      description: null,
    })
  })

  it('disables and enables an endpoint; a disabled one refuses a test event and a replay, plainly', async () => {
    const { client, user } = await signedInClient(api)
    const { id } = await addEndpoint(client)
    await client.get(`/console/webhooks/${id}`)
    const sent = await api.request(`/v1/outgoing-webhooks/${id}/test`, {
      method: 'POST',
      key: user.keys.test,
    })
    const deliveryId = (await readData(sent, 'delivery')).id
    const disable = await client.post(`/console/webhooks/${id}/enabled`, { enabled: 'false' })
    expect(disable.response.headers.get('location')).toBe(`/console/webhooks/${id}?done=disabled`)
    const read = async () =>
      readData(
        await api.request(`/v1/outgoing-webhooks/${id}`, { key: user.keys.test }),
        'endpoint',
      )
    expect((await read()).enabled).toBe(false)
    const refused = await client.post(`/console/webhooks/${id}/test`)
    expect(refused.response.status).toBe(409)
    expect(refused.html).toContain('role="alert"')
    expect(refused.html).toContain('is disabled')
    const replay = await client.post(`/console/webhooks/${id}/deliveries/${deliveryId}/replay`)
    expect(replay.response.status).toBe(409)
    expect(replay.html).toContain('is disabled')
    const garbled = await client.post(`/console/webhooks/${id}/enabled`, { enabled: 'yes' })
    expect(garbled.response.status).toBe(400)
    expect(garbled.html).toBe('enabled must be true or false')
    expect((await read()).enabled).toBe(false)
    await client.post(`/console/webhooks/${id}/enabled`, { enabled: 'true' })
    expect((await read()).enabled).toBe(true)
  })

  it('lists Meta’s inbound webhooks page, and links to it from Webhooks', async () => {
    const { client } = await signedInClient(api)
    const { html } = await client.get('/console/webhooks')
    expect(html).toContain('href="/console/meta-receipts"')
    const receipts = await client.get('/console/meta-receipts')
    expect(receipts.response.status).toBe(200)
    expect(receipts.html).toContain('Nothing received from Meta')
  })
})

describe('console: rotating a secret', () => {
  let api: TestApi
  let hook: Receiver
  beforeAll(async () => {
    api = await startTestApi()
    hook = await startReceiver(() => ({ status: 200 }))
  })
  afterAll(async () => {
    await hook.close()
    await api.close()
  })

  it('shows the new secret once, and once the grace is over the old one no longer signs', async () => {
    const { client, user } = await signedInClient(api)
    await client.get('/console/webhooks')
    const added = await client.post('/console/webhooks', {
      url: hook.url,
      events: ['message.sent'],
    })
    const old = SECRET.exec(added.html)?.[1] as string
    const id = /action="\/console\/webhooks\/(we_[0-9A-Za-z]+)\/test"/.exec(added.html)?.[1]
    expect(old).toMatch(/^whsec_/)
    const rotated = await client.post(`/console/webhooks/${id}/rotate-secret`)
    expect(rotated.response.status).toBe(200)
    const fresh = SECRET.exec(rotated.html)?.[1] as string
    expect(fresh).toMatch(/^whsec_/)
    expect(fresh).not.toBe(old)
    expect(rotated.html).toContain('previous secret also signs')
    expect((await client.get(`/console/webhooks/${id}`)).html).not.toContain(fresh)

    // A test event queued now (due now) is delivered by a worker started afterwards, on a
    // clock `msLater` ahead: the one the worker picks the signing secrets with.
    const realNow = api.core.now
    const deliverOne = async (after: { msLater: number }) => {
      const before = hook.requests.length
      const res = await api.request(`/v1/outgoing-webhooks/${id}/test`, {
        method: 'POST',
        key: user.keys.test,
      })
      expect(res.status).toBe(202)
      api.core.now = () => new Date(realNow().getTime() + after.msLater)
      const workers = startTestWorkers(api)
      try {
        await waitFor('the test event', () => hook.requests.length === before + 1)
      } finally {
        await workers.close()
        api.core.now = realNow
      }
      return hook.requests.at(-1)
    }
    // During the grace both sign (as the API documents); after it only the new one does.
    const during = await deliverOne({ msLater: 0 })
    expect(signedWith(during, fresh)).toBe(true)
    expect(signedWith(during, old)).toBe(true)
    const graceMs = (outgoingWebhooks.PREVIOUS_SECRET_GRACE_SECONDS + 60) * 1000
    const after = await deliverOne({ msLater: graceMs })
    expect(signedWith(after, fresh)).toBe(true)
    expect(signedWith(after, old)).toBe(false)
    expect(after?.signature.split(' ')).toHaveLength(1)
  })
})

describe('console: webhooks tenancy and CSRF', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi()
  })
  afterAll(() => api.close())

  async function endpointWithDelivery(key: string) {
    const created = await api.request('/v1/outgoing-webhooks', {
      method: 'POST',
      key,
      json: { url: 'http://127.0.0.1:9/hook', events: ['message.sent'] },
    })
    const endpoint = await readData(created, 'endpoint')
    const sent = await api.request(`/v1/outgoing-webhooks/${endpoint.id}/test`, {
      method: 'POST',
      key,
    })
    const delivery = await readData(sent, 'delivery')
    return { endpoint, delivery }
  }

  it('answers 404 for another organisation’s endpoint and delivery, and for the other mode, changing nothing', async () => {
    const { client } = await signedInClient(api)
    const { user: victim } = await signedInClient(api)
    const { endpoint, delivery } = await endpointWithDelivery(victim.keys.test)
    await client.get('/console/webhooks')
    const base = `/console/webhooks/${endpoint.id}`
    const attempts: [string, Record<string, string | string[]>][] = [
      [base, { url: 'https://evil.example.com/', events: ['message.read'] }],
      [`${base}/enabled`, { enabled: 'false' }],
      [`${base}/test`, {}],
      [`${base}/rotate-secret`, {}],
      [`${base}/deliveries/${delivery.id}/replay`, {}],
    ]
    const get = await client.get(base)
    expect(get.response.status).toBe(404)
    expect(get.html).not.toContain('127.0.0.1:9')
    for (const [path, fields] of attempts) {
      const { response, html } = await client.post(path, fields)
      expect(response.status, path).toBe(404)
      expect(html).not.toContain('whsec_')
    }
    const after = await readData(
      await api.request(`/v1/outgoing-webhooks/${endpoint.id}`, { key: victim.keys.test }),
      'endpoint',
    )
    expect(after).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      enabled: true,
      previousSecretExpiresAt: null,
    })
    const deliveries = await outgoingWebhooks.listDeliveries(
      api.core,
      { organizationId: victim.organizationId, mode: 'test' },
      endpoint.id,
      { page: 1, limit: 10 },
    )
    expect(deliveries.pagination.total).toBe(1)

    // The same organisation's own endpoint is not there in live mode either.
    const { client: owner } = await signedInClient(api, {
      organizationId: victim.organizationId,
      keys: victim.keys,
    })
    expect((await owner.get(base)).response.status).toBe(200)
    // A delivery id of another endpoint under this endpoint's path is no delivery.
    const other = await endpointWithDelivery(victim.keys.test)
    expect(
      (await owner.post(`${base}/deliveries/${other.delivery.id}/replay`)).response.status,
    ).toBe(404)
    await owner.post('/console/mode', { mode: 'live' })
    expect((await owner.get(base)).response.status).toBe(404)
    expect((await owner.post(`${base}/test`)).response.status).toBe(404)
    expect((await owner.get('/console/webhooks')).html).not.toContain(endpoint.id)
  })

  it('refuses every webhook form without the CSRF token (403) and changes nothing', async () => {
    const { client, user } = await signedInClient(api)
    const { endpoint, delivery } = await endpointWithDelivery(user.keys.test)
    const base = `/console/webhooks/${endpoint.id}`
    const forms: [string, Record<string, string | string[]>][] = [
      ['/console/webhooks', { url: 'https://example.com/a', events: ['message.sent'] }],
      [base, { url: 'https://example.com/b', events: ['message.sent'] }],
      [`${base}/enabled`, { enabled: 'false' }],
      [`${base}/test`, {}],
      [`${base}/rotate-secret`, {}],
      [`${base}/deliveries/${delivery.id}/replay`, {}],
    ]
    for (const [path, fields] of forms) {
      const { response, html } = await client.post(path, fields, { csrf: null })
      expect(response.status, path).toBe(403)
      expect(html).not.toContain('whsec_')
    }
    const list = await readList(
      await api.request('/v1/outgoing-webhooks', { key: user.keys.test }),
      'endpoint',
    )
    expect(list.pagination.total).toBe(1)
    expect(list.data[0]).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      enabled: true,
      previousSecretExpiresAt: null,
    })
  })

  it('sends every webhook page to sign-in without a session, showing no data', async () => {
    const { user } = await signedInClient(api)
    const { endpoint } = await endpointWithDelivery(user.keys.test)
    const anonymous = new ConsoleClient(api)
    for (const path of [
      '/console/webhooks',
      `/console/webhooks/${endpoint.id}`,
      '/console/meta-receipts',
    ]) {
      const { response, html } = await anonymous.get(path)
      expect(response.status, path).toBe(303)
      expect(response.headers.get('location')).toBe(
        `/console/sign-in?next=${encodeURIComponent(path)}`,
      )
      expect(html).not.toContain(endpoint.id)
    }
    const post = await anonymous.post(
      `/console/webhooks/${endpoint.id}/rotate-secret`,
      {},
      { csrf: 'x' },
    )
    expect(post.response.status).toBe(303)
    expect(post.html).not.toContain('whsec_')
  })
})

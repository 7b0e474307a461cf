import { testDialect } from '@onboard/core/testing'
import { createDb, parseDatabaseUrl } from '@onboard/db'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { raiseExpiredLinksOnce, startLinkExpiry } from '../../../workers/webhooks/src/link-expiry'
import { type Receiver, waitFor } from '../../../workers/webhooks/test/support/receiver'
import { useReceiver, useTestApi, useTestWorkers } from './support/fixture'
import type { TestApi } from './support/harness'
import { readBody, readData, readList } from './support/responses'
import {
  callbackBody,
  completeWith,
  createLink,
  pageConfig,
  playSandbox,
  postCallback,
} from './support/signup'

const LIFECYCLE = ['onboarding_link.opened', 'onboarding_link.failed', 'onboarding_link.expired']
const LINK_SECRET = 'whsec_link_lifecycle_secret_1'
const quiet = { warn: () => {}, info: () => {} } as never

const report = (api: TestApi, linkId: string, body: unknown) =>
  api.request(`/signup/${linkId}/activity`, { method: 'POST', json: body })

/** The envelope of a received delivery, its signature checked with `secret`. */
function verified(
  secret: string,
  request: Receiver['requests'][number] | undefined,
  format?: 'raw',
): { event: string; organizationId: string; data: Record<string, unknown> } {
  const webhook = format
    ? new Webhook(new TextEncoder().encode(secret), { format })
    : new Webhook(secret)
  return webhook.verify(request?.body ?? '', request?.headers ?? {}) as never
}

async function endpointFor(api: TestApi, key: string, url: string, events: string[]) {
  const res = await api.request('/v1/outgoing-webhooks', {
    method: 'POST',
    key,
    json: { url, events },
  })
  expect(res.status).toBe(201)
  const endpoint = await readData(res, 'endpoint')
  if (!endpoint.secret) throw new Error('the endpoint came without its secret')
  return { id: endpoint.id, secret: endpoint.secret }
}

async function deliveriesOf(api: TestApi, key: string, endpointId: string) {
  const res = await api.request(`/v1/outgoing-webhooks/${endpointId}/deliveries?limit=100`, { key })
  return (await readList(res, 'delivery')).data
}

/** The events a receiver got, oldest first, with their `data`. */
const eventsAt = (receiver: Receiver, secret: string, format?: 'raw') =>
  receiver.requests.map((request) => verified(secret, request, format))

describe('onboarding_link.opened and onboarding_link.failed, signed and delivered', () => {
  const api = useTestApi()
  useTestWorkers(api)
  const hook = useReceiver(undefined, { scope: 'test' })
  const linkHook = useReceiver(undefined, { scope: 'test' })
  const otherLinkHook = useReceiver(undefined, { scope: 'test' })

  it('raises opened once when the page reports it, never on a scanner’s GET, to the organisation’s endpoint and the link’s own webhook only', async () => {
    const org = await api.createOrganization()
    const endpoint = await endpointFor(api, org.test, hook.url, [...LIFECYCLE])
    const link = await createLink(api, org.test, {
      webhookUrl: linkHook.url,
      webhookSecret: LINK_SECRET,
      webhookEvents: ['onboarding_link.opened', 'phone_number.connected'],
    })
    const other = await createLink(api, org.test, {
      name: 'Other',
      externalId: 'customer-456',
      webhookUrl: otherLinkHook.url,
      webhookSecret: LINK_SECRET,
      webhookEvents: ['onboarding_link.opened'],
    })

    // A mail scanner fetches the page, twice: the deliveries are written with the event, so
    // none existing now means none was raised.
    expect((await api.request(`/signup/${link.id}`)).status).toBe(200)
    const { nonce } = await pageConfig(api, link.id)
    expect(await deliveriesOf(api, org.test, endpoint.id)).toEqual([])

    const reports = await Promise.all(
      [0, 0, 0, 0].map(() => report(api, link.id, { nonce, kind: 'opened', attempt: 0 })),
    )
    expect(reports.map((res) => res.status)).toEqual([200, 200, 200, 200])
    await waitFor(
      'opened at both receivers',
      () => hook.requests.length === 1 && linkHook.requests.length === 1,
    )
    const [sent] = eventsAt(hook, endpoint.secret)
    expect(sent).toEqual({
      event: 'onboarding_link.opened',
      timestamp: expect.any(String),
      organizationId: org.id,
      data: {
        onboardingLinkId: link.id,
        externalId: 'customer-123',
        status: 'pending',
        openedAt: expect.any(String),
      },
    })
    // The link's own webhook, signed with the link's secret (not base64: its raw bytes).
    expect(eventsAt(linkHook, LINK_SECRET, 'raw')).toEqual([sent])

    // The other link's opening reaches its own webhook and the organisation's, never this link's.
    const otherPage = await pageConfig(api, other.id)
    await report(api, other.id, { nonce: otherPage.nonce, kind: 'opened', attempt: 0 })
    await waitFor(
      'the other link’s opened',
      () => hook.requests.length === 2 && otherLinkHook.requests.length === 1,
    )
    expect(eventsAt(otherLinkHook, LINK_SECRET, 'raw')[0]?.data.onboardingLinkId).toBe(other.id)
    // More reports of the first link, then its completion: still one opened anywhere.
    await report(api, link.id, { nonce, kind: 'opened', attempt: 0 })
    const done = await completeWith(api, link.id, 'success')
    expect(done.res.status).toBe(200)
    await waitFor(
      'phone_number.connected at the link’s webhook',
      () => linkHook.requests.length === 2,
    )
    expect(eventsAt(linkHook, LINK_SECRET, 'raw').map((event) => event.event)).toEqual([
      'onboarding_link.opened',
      'phone_number.connected',
    ])
    expect(eventsAt(hook, endpoint.secret).map((event) => event.event)).toEqual([
      'onboarding_link.opened',
      'onboarding_link.opened',
    ])
    expect(otherLinkHook.requests).toHaveLength(1)

    // The endpoint the link's first event registered is the one its WABA now scopes: one
    // endpoint per link, as before lifecycle events.
    const endpoints = await readList(
      await api.request('/v1/outgoing-webhooks', { key: org.test }),
      'endpoint',
    )
    const ofLink = endpoints.data.filter((row) => row.url === linkHook.url)
    expect(ofLink).toHaveLength(1)
    const linkNow = await readData(
      await api.request(`/v1/onboarding-links/${link.id}`, { key: org.test }),
      'link',
    )
    expect(ofLink[0]?.wabaId).toBe(linkNow.wabaId)
    // The other link, deleted while pending, takes the endpoint its event registered along.
    expect(endpoints.data.filter((row) => row.url === otherLinkHook.url)).toHaveLength(1)
    const deleted = await api.request(`/v1/onboarding-links/${other.id}`, {
      method: 'DELETE',
      key: org.test,
    })
    expect(deleted.status).toBe(204)
    const remaining = await readList(
      await api.request('/v1/outgoing-webhooks', { key: org.test }),
      'endpoint',
    )
    expect(remaining.data.map((row) => row.url).sort()).toEqual([hook.url, linkHook.url].sort())
  })

  it('raises failed with Meta’s code and step, and with ours for a failed completion; a cancel raises nothing; a link raises at most 10', async () => {
    const org = await api.createOrganization()
    const endpoint = await endpointFor(api, org.test, hook.url, ['onboarding_link.failed'])
    const link = await createLink(api, org.test, {
      webhookUrl: linkHook.url,
      webhookSecret: LINK_SECRET,
      webhookEvents: ['onboarding_link.failed'],
    })
    const { nonce } = await pageConfig(api, link.id)
    await report(api, link.id, { nonce, kind: 'opened', attempt: 0 })
    await report(api, link.id, { nonce, kind: 'connect_pressed', attempt: 1 })
    // Meta's ERROR as the page reports it, then the callback the page posts after it.
    const metaError = await playSandbox(api, 'error', { errorEvent: 'ERROR' })
    await report(api, link.id, {
      nonce,
      kind: 'meta_result',
      attempt: 1,
      result: {
        event: 'ERROR',
        step: 'PHONE_NUMBER_VERIFICATION',
        errorCode: '524126',
        errorMessage: 'Your verified name violates WhatsApp guidelines.',
      },
    })
    await postCallback(api, link.id, callbackBody(nonce, metaError))
    await waitFor(
      'Meta’s failure at both receivers',
      () => hook.requests.length === 1 && linkHook.requests.length === 1,
    )
    expect(eventsAt(hook, endpoint.secret)[0]).toMatchObject({
      event: 'onboarding_link.failed',
      organizationId: org.id,
      data: {
        onboardingLinkId: link.id,
        externalId: 'customer-123',
        status: 'pending',
        source: 'meta',
        error: { code: '524126', message: 'Your verified name violates WhatsApp guidelines.' },
        step: 'PHONE_NUMBER_VERIFICATION',
      },
    })
    expect(eventsAt(linkHook, LINK_SECRET, 'raw')[0]?.event).toBe('onboarding_link.failed')

    // The end-user stops: not a failure.
    const cancelled = await completeWith(api, link.id, 'cancel', { currentStep: 'WABA_SELECTION' })
    expect(cancelled.body.data.status).toBe('cancelled')
    // A completion that fails on our side: Meta refuses the code.
    const result = await playSandbox(api, 'success')
    const refused = await postCallback(api, link.id, {
      ...callbackBody(nonce, result),
      code: 'not-a-code-meta-issued',
    })
    expect(refused.status).toBeGreaterThanOrEqual(400)
    const refusedCode = (await readBody<{ error: { code: string } }>(refused)).error.code
    await waitFor('our failure', () => hook.requests.length === 2)
    expect(eventsAt(hook, endpoint.secret)[1]?.data).toEqual({
      onboardingLinkId: link.id,
      externalId: 'customer-123',
      status: 'pending',
      source: 'completion',
      error: { code: refusedCode, message: expect.any(String) },
      step: null,
    })
    expect((await deliveriesOf(api, org.test, endpoint.id)).map((d) => d.eventType)).toEqual([
      'onboarding_link.failed',
      'onboarding_link.failed',
    ])

    // A page reporting errors in a loop: the link stops at 10 failed events in all.
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        report(api, link.id, {
          nonce,
          kind: 'meta_result',
          attempt: (index % 3) + 1,
          result: { event: 'ERROR', errorCode: String(index) },
        }),
      ),
    )
    expect(await deliveriesOf(api, org.test, endpoint.id)).toHaveLength(10)
    await waitFor('the capped failures', () => hook.requests.length === 10)
  })
})

describe('onboarding_link.expired, raised by the worker', () => {
  const api = useTestApi({ scope: 'test' })
  useTestWorkers(api, { scope: 'test' })
  const hook = useReceiver(undefined, { scope: 'test' })

  it('is raised once per expiry however many workers tick at once, and again after a renewal', async () => {
    const org = await api.createOrganization()
    const endpoint = await endpointFor(api, org.test, hook.url, ['onboarding_link.expired'])
    const now = Date.now()
    // Made 2,000 s ago with the shortest lifetime: expired 1,100 s ago. (Time moves back, not
    // forward, so the event is due at once and the worker sends it now.)
    api.database.setNow(new Date(now - 2_000_000))
    const link = await createLink(api, org.test, {
      redirectUrl: 'https://app.example/done',
      expiresInSeconds: 900,
    })
    const pending = await createLink(api, org.test, { name: 'Still pending' })
    api.database.setNow(new Date(now))

    // Two workers tick together, twice. On PostgreSQL each has its own connection pool, as two
    // processes would; SQLite has one writer per file (and better-sqlite3 blocks the thread
    // while it waits for the lock), so there the second worker is the same handle.
    const second =
      testDialect === 'postgres' ? createDb(parseDatabaseUrl(api.database.databaseUrl)) : null
    try {
      const secondCore = second ? { ...api.core, db: second } : api.core
      const ticks = await Promise.all([
        raiseExpiredLinksOnce({ core: api.core, logger: quiet, intervalMs: 0 }),
        raiseExpiredLinksOnce({ core: secondCore, logger: quiet, intervalMs: 0 }),
      ])
      expect(ticks[0] + ticks[1]).toBe(1)
      expect(await raiseExpiredLinksOnce({ core: secondCore, logger: quiet, intervalMs: 0 })).toBe(
        0,
      )
    } finally {
      await second?.destroy()
    }
    await waitFor('the expired event', () => hook.requests.length === 1)
    expect(eventsAt(hook, endpoint.secret)).toEqual([
      {
        event: 'onboarding_link.expired',
        timestamp: expect.any(String),
        organizationId: org.id,
        data: {
          onboardingLinkId: link.id,
          externalId: 'customer-123',
          status: 'expired',
          expiresAt: link.expiresAt,
        },
      },
    ])
    expect(pending.status).toBe('pending')

    // Renewed 1,000 s ago for 900 s: expired again 100 s ago, and raised again.
    api.database.setNow(new Date(now - 1_000_000))
    const renewed = await api.request(`/v1/onboarding-links/${link.id}/renew`, {
      method: 'POST',
      key: org.test,
      json: { expiresInSeconds: 900 },
    })
    expect(renewed.status).toBe(200)
    api.database.setNow(new Date(now))
    expect(await raiseExpiredLinksOnce({ core: api.core, logger: quiet, intervalMs: 0 })).toBe(1)
    await waitFor('the second expired event', () => hook.requests.length === 2)
    expect(eventsAt(hook, endpoint.secret)[1]?.data).toMatchObject({
      onboardingLinkId: link.id,
      expiresAt: (await readData(renewed, 'link')).expiresAt,
    })
    expect(await deliveriesOf(api, org.test, endpoint.id)).toHaveLength(2)
  })

  it('is raised by the worker’s repeating tick, which a stop ends', async () => {
    const org = await api.createOrganization()
    const endpoint = await endpointFor(api, org.test, hook.url, ['onboarding_link.expired'])
    const now = Date.now()
    api.database.setNow(new Date(now - 2_000_000))
    const link = await createLink(api, org.test, { expiresInSeconds: 900 })
    api.database.setNow(new Date(now))
    // The first tick runs at once; the next would come a minute later.
    const loop = startLinkExpiry({ core: api.core, logger: quiet, intervalMs: 60_000 })
    try {
      await waitFor('the expired event', () => hook.requests.length === 1)
    } finally {
      await loop.stop()
    }
    expect(eventsAt(hook, endpoint.secret)[0]?.data.onboardingLinkId).toBe(link.id)
  })
})

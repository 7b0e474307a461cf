import { createHmac } from 'node:crypto'
import { createKeyring, metaWebhooks } from '@onboard/core'
import { inboundTextWebhook, insertConnectedPhone } from '@onboard/core/testing'
import { META_RECEIPT_QUEUE } from '@onboard/queue'
import { Queue } from 'bullmq'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { startTestApi, type TestApi } from './support/harness'
import {
  type ErrorEnvelope,
  type OpenApiDocument,
  readBody,
  readData,
  readError,
  shapes,
} from './support/responses'

/** Signed by this deployment's sandbox app (its secret is derived from ENCRYPTION_KEY) unless told. */
const sign = (api: TestApi, body: string, secret = api.core.keyring.sandboxAppSecret) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`

/** The sandbox app secret every deployment used to share, published in the source. */
const OLD_PUBLIC_SANDBOX_SECRET = 'd3f1a9c0b7e24f6a8c5d0e1f2a3b4c5d'

const inbound = (metaPhoneNumberId: string, id = 'wamid.API1') =>
  inboundTextWebhook({ metaWabaId: '102290129340398', metaPhoneNumberId }, id)

describe('Meta webhooks: handshake and signed receipts', () => {
  const started: TestApi[] = []
  const start = async (env: Record<string, string> = {}) => {
    const api = await startTestApi({ env })
    started.push(api)
    return api
  }
  afterEach(async () => {
    for (const api of started.splice(0)) {
      // Redis-down tests have nothing to clean (and a queue on a dead port never closes).
      if (api.config.redisUrl !== 'redis://127.0.0.1:6379') {
        await api.close()
        continue
      }
      const receipts = new Queue(META_RECEIPT_QUEUE, {
        connection: { url: api.config.redisUrl },
        prefix: api.queuePrefix,
      })
      await receipts.obliterate({ force: true }).catch(() => undefined)
      await receipts.close()
      await api.close()
    }
  })

  const receiptCount = async (api: TestApi) =>
    Number(
      (
        await api.core.db
          .selectFrom('meta_webhook_receipts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const post = (api: TestApi, body: string, signature?: string) =>
    api.request('/webhooks/meta', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }),
      },
      body,
    })

  it('echoes hub.challenge as text for subscribe with the verify token', async () => {
    const api = await start({ META_WEBHOOK_VERIFY_TOKEN: 'my-verify-token' })
    const ok = await api.request(
      '/webhooks/meta?hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1158201444',
    )
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await ok.text()).toBe('1158201444')
    for (const query of [
      'hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1',
      'hub.mode=unsubscribe&hub.verify_token=my-verify-token&hub.challenge=1',
      'hub.mode=subscribe&hub.verify_token=my-verify-token',
      '',
    ]) {
      const res = await api.request(`/webhooks/meta?${query}`)
      expect(res.status).toBe(403)
    }
  })

  it('refuses every handshake, saying why, when no verify token is configured', async () => {
    const api = await start()
    const res = await api.request(
      '/webhooks/meta?hub.mode=subscribe&hub.verify_token=anything&hub.challenge=1',
    )
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('META_WEBHOOK_VERIFY_TOKEN is not set')
  })

  it('answers 401 and stores nothing for a missing, malformed or wrong-secret signature', async () => {
    const api = await start()
    const body = inbound('106540352242922')
    for (const signature of [
      undefined,
      '',
      'sha256=nothex',
      sign(api, body).replace('sha256=', 'sha1='),
      sign(api, body, 'not-the-app-secret'),
      sign(api, `${body} `),
    ]) {
      const res = await post(api, body, signature)
      expect(res.status).toBe(401)
      expect(await readBody<ErrorEnvelope>(res)).toEqual({
        error: {
          code: 'invalid_signature',
          message:
            'X-Hub-Signature-256 is missing or is not sha256=<HMAC-SHA256 of the body under the app secret>.',
        },
      })
      expect(res.headers.get('x-request-id')).toBeTruthy()
    }
    expect(await receiptCount(api)).toBe(0)
  })

  it('refuses a body signed with the old public sandbox secret and stores nothing', async () => {
    const api = await start()
    const body = inbound('106540352242922')
    const res = await post(api, body, sign(api, body, OLD_PUBLIC_SANDBOX_SECRET))
    expect(res.status).toBe(401)
    expect((await readError(res)).code).toBe('invalid_signature')
    expect(await receiptCount(api)).toBe(0)
    // Another deployment's sandbox (another ENCRYPTION_KEY) cannot sign for this one either.
    const other = createKeyring(Buffer.alloc(32, 9)).sandboxAppSecret
    expect((await post(api, body, sign(api, body, other))).status).toBe(401)
    expect(await receiptCount(api)).toBe(0)
  })

  it('stores a signed body once, answers 200 both times and enqueues one job', async () => {
    const api = await start()
    const body = inbound('106540352242922')
    const first = await post(api, body, sign(api, body))
    expect(first.status).toBe(200)
    const data = await readData(first, 'metaReceipt')
    expect(data).toEqual({ receiptId: expect.stringMatching(/^mwr_/), duplicate: false })
    const second = await post(api, body, sign(api, body))
    expect(await readData(second, 'metaReceipt')).toEqual({
      receiptId: data.receiptId,
      duplicate: true,
    })
    expect(await receiptCount(api)).toBe(1)
    const row = await api.core.db
      .selectFrom('meta_webhook_receipts')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ mode: 'test', status: 'pending', body })

    const receipts = new Queue(META_RECEIPT_QUEUE, {
      connection: { url: api.config.redisUrl },
      prefix: api.queuePrefix,
    })
    const job = await receipts.getJob(data.receiptId)
    await receipts.close()
    expect(job?.data).toEqual({ receiptId: data.receiptId })
  })

  it('files a body signed by the live app under live mode', async () => {
    const api = await start({
      META_APP_ID: '1234567890',
      META_APP_SECRET: 'live-app-secret-0123456789',
      META_CONFIG_ID: '987654321',
    })
    const body = inbound('106540352242922')
    expect((await post(api, body, sign(api, body, 'live-app-secret-0123456789'))).status).toBe(200)
    const row = await api.core.db
      .selectFrom('meta_webhook_receipts')
      .select('mode')
      .executeTakeFirstOrThrow()
    expect(row.mode).toBe('live')
  })

  it('accepts up to 1 MB (Meta batches), refuses more with 413, and refuses signed non-JSON', async () => {
    const api = await start()
    const big = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [],
      pad: 'x'.repeat(500_000),
    })
    expect((await post(api, big, sign(api, big))).status).toBe(200)
    const huge = JSON.stringify({ entry: [], pad: 'x'.repeat(1_100_000) })
    const tooBig = await post(api, huge, sign(api, huge))
    expect(tooBig.status).toBe(413)
    expect((await readError(tooBig)).code).toBe('payload_too_large')
    const text = 'not json'
    const notJson = await post(api, text, sign(api, text))
    expect(notJson.status).toBe(400)
    expect(await receiptCount(api)).toBe(1)
  })

  it('keeps the receipt pending when Redis is down, for the worker’s sweeper', async () => {
    const api = await start({ REDIS_URL: 'redis://127.0.0.1:1' })
    const body = inbound('106540352242922')
    const res = await post(api, body, sign(api, body))
    expect(res.status).toBe(200)
    const row = await api.core.db
      .selectFrom('meta_webhook_receipts')
      .select('status')
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('pending')
  })

  it('the sandbox emits a signed inbound text that our endpoint accepts', async () => {
    const api = await start()
    const org = await api.createOrganization()
    const phone = await insertConnectedPhone(api.core, { organizationId: org.id, mode: 'test' })
    const res = await api.request('/__sandbox/webhooks/emit', {
      method: 'POST',
      key: org.test,
      json: {
        target: `${api.url}/webhooks/meta`,
        kind: 'inbound_text',
        phoneNumberId: phone.metaPhoneNumberId,
        wabaId: phone.metaWabaId,
        text: 'Grüße',
      },
    })
    expect(res.status).toBe(200)
    const emitted = await readBody<{
      body: string
      signature: string
      response: { status: number; body: string }
    }>(res)
    expect(emitted.response.status).toBe(200)
    // Meta escapes non-ASCII; the signature covers exactly those bytes.
    expect(emitted.body).toContain('Gr\\u00fc\\u00dfe')
    expect(emitted.signature).toBe(sign(api, emitted.body))
    const { receiptId } = z
      .object({ data: shapes.metaReceipt })
      .parse(JSON.parse(emitted.response.body)).data
    const processed = await metaWebhooks.processReceipt(api.core, receiptId)
    expect(processed.eventsRecorded).toBe(1)
    const event = await api.core.db.selectFrom('events').selectAll().executeTakeFirstOrThrow()
    expect(JSON.parse(event.payload).data.message.text.body).toBe('Grüße')
  })

  it('relays an inbound message to exactly one owner, the organisation of the entry’s WABA', async () => {
    const api = await start()
    const [first, second] = [await api.createOrganization(), await api.createOrganization()]
    // Meta moved a number from one WABA to another: each organisation holds it under its WABA.
    const metaPhoneNumberId = `2${Date.now()}77`
    const old = await insertConnectedPhone(
      api.core,
      { organizationId: first.id, mode: 'test' },
      {
        metaPhoneNumberId,
      },
    )
    const current = await insertConnectedPhone(
      api.core,
      { organizationId: second.id, mode: 'test' },
      { metaPhoneNumberId },
    )
    const body = inboundTextWebhook(current, 'wamid.ONE-OWNER')
    const data = await readData(await post(api, body, sign(api, body)), 'metaReceipt')
    expect((await metaWebhooks.processReceipt(api.core, data.receiptId)).eventsRecorded).toBe(1)
    const events = await api.core.db
      .selectFrom('events')
      .select(['organization_id', 'waba_id'])
      .where('type', '=', 'message.received')
      .execute()
    expect(events).toEqual([{ organization_id: second.id, waba_id: current.wabaId }])
    expect(old.wabaId).not.toBe(current.wabaId)
  })

  it('documents both routes in the OpenAPI document', async () => {
    const api = await start()
    const doc = await readBody<OpenApiDocument>(await api.request('/openapi.json'))
    expect(doc.paths['/webhooks/meta']?.get?.summary).toContain('handshake')
    expect(Object.keys(doc.paths['/webhooks/meta']?.post?.responses ?? {})).toEqual([
      '200',
      '401',
      '413',
    ])
  })

  it('the sandbox emitter refuses targets that are not a /webhooks/meta callback', async () => {
    const api = await start()
    const key = (await api.createOrganization()).test
    const res = await api.request('/__sandbox/webhooks/emit', {
      method: 'POST',
      key,
      json: { target: `${api.url}/v1/phones`, kind: 'partner_removed', wabaId: '1' },
    })
    expect(res.status).toBe(400)
    expect((await readError(res)).message).toContain('/webhooks/meta')
    const missing = await api.request('/__sandbox/webhooks/emit', {
      method: 'POST',
      key,
      json: { target: `${api.url}/webhooks/meta`, kind: 'inbound_text' },
    })
    expect(missing.status).toBe(400)
  })

  it("the sandbox emitter posts only to this service's own origin", async () => {
    const api = await start()
    const key = (await api.createOrganization()).test
    // Loopback targets that are not this server: were the check to fail, nothing leaves the machine.
    const port = Number(new URL(api.url).port)
    for (const target of [
      `http://127.0.0.2:${port}/webhooks/meta`,
      `http://localhost:${port + 1}/webhooks/meta`,
      `https://127.0.0.1:${port}/webhooks/meta`,
    ]) {
      const res = await api.request('/__sandbox/webhooks/emit', {
        method: 'POST',
        key,
        json: { target, kind: 'partner_removed', wabaId: '123456789012345' },
      })
      expect(res.status).toBe(400)
      expect((await readError(res)).message).toContain('own /webhooks/meta')
    }
  })
})

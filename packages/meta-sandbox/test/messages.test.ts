import { createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isMetaError, type MetaError } from '@onboard/meta'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SANDBOX_FAILING_RECIPIENTS, SANDBOX_UNDELIVERABLE_RECIPIENT } from '../src/index'
import { APP_SECRET, connectedSignup, type MountedSandbox, startMountedSandbox } from './helpers'

// Sending through the sandbox with the real @onboard/meta client, and the status webhooks it
// then sends, signed, to the app's callback URL (a local receiver here).

interface Posted {
  signature: string
  body: string
}

let sb: MountedSandbox
let received: Posted[]
let closeReceiver: () => Promise<void>

beforeAll(async () => {
  received = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      received.push({
        signature: String(req.headers['x-hub-signature-256']),
        body: Buffer.concat(chunks).toString('utf8'),
      })
      res.writeHead(200).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const callback = new URL(
    `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/meta`,
  )
  closeReceiver = () => new Promise((resolve) => server.close(() => resolve()))
  sb = await startMountedSandbox({ callbackUrl: () => callback, statusDelayMs: 5 })
})
afterAll(async () => {
  await sb.close()
  await closeReceiver()
})

/** A signed-up, registered number and its business token, as onboarding leaves them. */
async function registeredPhone() {
  const signup = await connectedSignup(sb)
  await sb.client().registerPhone(signup.phoneNumberId ?? '', '123456', signup.token)
  return { phoneId: signup.phoneNumberId ?? '', wabaId: signup.wabaId ?? '', token: signup.token }
}

async function failure(promise: Promise<unknown>): Promise<MetaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isMetaError(error)) throw new Error(`expected a MetaError, got ${String(error)}`)
  return error
}

async function statusesOf(wamid: string, count: number) {
  const deadline = Date.now() + 5000
  for (;;) {
    const mine = received.filter((r) => r.body.includes(wamid))
    if (mine.length >= count || Date.now() > deadline) return mine
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('POST /{phone}/messages', () => {
  it('accepts a text with a wamid, then sends sent, delivered and read, signed', async () => {
    const { phoneId, token } = await registeredPhone()
    const sent = await sb
      .client()
      .sendMessage(phoneId, { to: '+16505551234', type: 'text', text: { body: 'Hi' } }, token)
    expect(sent).toEqual({
      wamid: expect.stringMatching(/^wamid\./),
      waId: '16505551234',
      messageStatus: null,
    })
    const posted = await statusesOf(sent.wamid, 3)
    for (const post of posted) {
      const expected = `sha256=${createHmac('sha256', APP_SECRET).update(post.body).digest('hex')}`
      expect(post.signature).toBe(expected)
    }
    const statuses = posted.map((p) => JSON.parse(p.body).entry[0].changes[0].value)
    expect(statuses.map((v) => v.statuses[0].status)).toEqual(['sent', 'delivered', 'read'])
    expect(statuses[0]).toMatchObject({
      messaging_product: 'whatsapp',
      metadata: { phone_number_id: phoneId },
      statuses: [{ id: sent.wamid, recipient_id: '16505551234' }],
    })
  })

  it('sends a known template (accepted) and refuses an unknown one with 132001', async () => {
    const { phoneId, token } = await registeredPhone()
    const sent = await sb.client().sendMessage(
      phoneId,
      {
        to: '16505551234',
        type: 'template',
        template: { name: 'hello_world', language: { code: 'en_US' } },
      },
      token,
    )
    expect(sent.messageStatus).toBe('accepted')
    const error = await failure(
      sb.client().sendMessage(
        phoneId,
        {
          to: '16505551234',
          type: 'template',
          template: { name: 'nope', language: { code: 'en_US' } },
        },
        token,
      ),
    )
    expect(error.graph?.code).toBe(132001)
  })

  it('fails each magic recipient with its Graph code, and sends no statuses', async () => {
    const { phoneId, token } = await registeredPhone()
    for (const [recipient, code] of Object.entries(SANDBOX_FAILING_RECIPIENTS)) {
      const error = await failure(
        sb
          .client()
          .sendMessage(phoneId, { to: recipient, type: 'text', text: { body: 'x' } }, token),
      )
      expect(error.graph?.code, recipient).toBe(code)
    }
    // A message that does go, sent after them: once its status arrives, any status the
    // failures had caused would have arrived before it.
    const marker = await sb
      .client()
      .sendMessage(phoneId, { to: '16505551234', type: 'text', text: { body: 'x' } }, token)
    // Its first status is enough (sent; delivered and read may follow at any moment).
    expect((await statusesOf(marker.wamid, 1)).length).toBeGreaterThanOrEqual(1)
    const forPhone = received.filter((r) => r.body.includes(`"phone_number_id":"${phoneId}"`))
    expect(forPhone.filter((r) => !r.body.includes(marker.wamid))).toEqual([])
  })

  it('the undeliverable recipient is accepted, then sent and failed with 131026', async () => {
    const { phoneId, token } = await registeredPhone()
    const sent = await sb
      .client()
      .sendMessage(
        phoneId,
        { to: SANDBOX_UNDELIVERABLE_RECIPIENT, type: 'text', text: { body: 'x' } },
        token,
      )
    const posted = await statusesOf(sent.wamid, 2)
    const items = posted.map((p) => JSON.parse(p.body).entry[0].changes[0].value.statuses[0])
    expect(items.map((s) => s.status)).toEqual(['sent', 'failed'])
    expect(items[1].errors[0].code).toBe(131026)
  })

  it('refuses an unregistered number (133010) and another WABA’s token (#200)', async () => {
    const unregistered = await connectedSignup(sb)
    const error = await failure(
      sb
        .client()
        .sendMessage(
          unregistered.phoneNumberId ?? '',
          { to: '16505551234', type: 'text', text: { body: 'x' } },
          unregistered.token,
        ),
    )
    expect(error.graph?.code).toBe(133010)
    const { phoneId } = await registeredPhone()
    const denied = await failure(
      sb
        .client()
        .sendMessage(
          phoneId,
          { to: '16505551234', type: 'text', text: { body: 'x' } },
          unregistered.token,
        ),
    )
    expect(denied.graph?.code).toBe(200)
  })
})

describe('GET /{waba}/message_templates', () => {
  it('lists the sandbox templates with their components', async () => {
    const { wabaId, token } = await registeredPhone()
    const templates = await sb.client().listMessageTemplates(wabaId, token)
    expect(templates.map((t) => t.name)).toEqual([
      'hello_world',
      'order_confirmation',
      'seasonal_promotion',
      'account_alert',
    ])
    expect(templates[1]).toMatchObject({
      language: 'en_US',
      category: 'UTILITY',
      status: 'APPROVED',
      components: [
        expect.objectContaining({ type: 'BODY' }),
        expect.objectContaining({ type: 'BUTTONS' }),
      ],
    })
  })
})

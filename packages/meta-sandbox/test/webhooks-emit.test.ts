import { createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { APP_SECRET, connectedSignup, type MountedSandbox, startMountedSandbox } from './helpers'

interface Captured {
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A bare callback that records what the sandbox POSTs to it. */
async function startCallback(status = 200) {
  const received: Captured[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/webhooks/meta`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('POST /webhooks/emit', () => {
  let sb: MountedSandbox
  let callback: Awaited<ReturnType<typeof startCallback>>
  beforeEach(async () => {
    sb = await startMountedSandbox()
    callback = await startCallback()
  })
  afterEach(async () => {
    await callback.close()
    await sb.close()
  })

  const emit = (json: Record<string, unknown>) =>
    fetch(`${sb.base}/webhooks/emit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: callback.url, ...json }),
    })

  it('sends Meta’s inbound text shape for a sandbox phone, signed over the exact bytes', async () => {
    const signup = await connectedSignup(sb)
    const res = await emit({
      kind: 'inbound_text',
      phoneNumberId: signup.phoneNumberId,
      text: 'Olá',
    })
    expect(res.status).toBe(200)
    const out = (await res.json()) as { body: string; response: unknown }
    const [got] = callback.received
    expect(got?.body).toBe(out.body)
    expect(got?.body).toContain('Ol\\u00e1')
    const expected = `sha256=${createHmac('sha256', APP_SECRET)
      .update(got?.body ?? '')
      .digest('hex')}`
    expect(got?.headers['x-hub-signature-256']).toBe(expected)
    expect(out.response).toEqual({ status: 200, body: '{"ok":true}' })
    const phone = await sb.state.phone(signup.phoneNumberId ?? '')
    expect(JSON.parse(got?.body ?? '')).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: signup.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: phone?.e164.replace('+', ''),
                  phone_number_id: signup.phoneNumberId,
                },
                contacts: [{ profile: { name: 'Sandbox Customer' }, wa_id: '16505551234' }],
                messages: [
                  {
                    from: '16505551234',
                    id: expect.stringMatching(/^wamid\./),
                    timestamp: expect.stringMatching(/^\d+$/),
                    type: 'text',
                    text: { body: 'Olá' },
                  },
                ],
              },
            },
          ],
        },
      ],
    })
  })

  it('sends statuses and account updates in Meta’s shapes', async () => {
    const signup = await connectedSignup(sb)
    await emit({
      kind: 'status',
      phoneNumberId: signup.phoneNumberId,
      status: 'failed',
      messageId: 'wamid.X',
    })
    await emit({ kind: 'partner_app_installed', wabaId: signup.wabaId })
    await emit({
      kind: 'partner_removed',
      wabaId: signup.wabaId,
      disconnectionReason: 'PRIMARY_INACTIVITY',
    })
    const [status, installed, removed] = callback.received.map((r) => JSON.parse(r.body))
    expect(status.entry[0].changes[0].value.statuses[0]).toMatchObject({
      id: 'wamid.X',
      status: 'failed',
      recipient_id: '16505551234',
      errors: [{ code: 131047 }],
    })
    expect(installed.entry[0]).toMatchObject({
      time: expect.any(Number),
      changes: [
        {
          field: 'account_update',
          value: {
            event: 'PARTNER_APP_INSTALLED',
            waba_info: {
              waba_id: signup.wabaId,
              owner_business_id: signup.businessId,
              partner_app_id: expect.any(String),
            },
          },
        },
      ],
    })
    expect(removed.entry[0].changes[0].value).toEqual({
      event: 'PARTNER_REMOVED',
      waba_info: { waba_id: signup.wabaId, owner_business_id: signup.businessId },
      disconnection_info: { reason: 'PRIMARY_INACTIVITY', initiated_by: 'USER' },
    })
  })

  it('refuses other targets, incomplete requests and unknown keys; reports an unreachable target', async () => {
    const other = await emit({
      kind: 'partner_removed',
      wabaId: '1',
      target: 'http://127.0.0.1:1/admin',
    })
    expect(other.status).toBe(400)
    expect((await emit({ kind: 'inbound_text' })).status).toBe(400)
    expect((await emit({ kind: 'partner_removed', wabaId: '1', colour: 'red' })).status).toBe(400)
    expect(callback.received).toHaveLength(0)
    const down = await emit({
      kind: 'partner_removed',
      wabaId: '1',
      target: 'http://127.0.0.1:1/webhooks/meta',
    })
    expect(down.status).toBe(502)
    const refusal = (await down.json()) as { error: { code: string } }
    expect(refusal.error.code).toBe('target_unreachable')
  })

  it('asks the mounting server who may emit, and about which WABA and number', async () => {
    const asked: unknown[] = []
    const guarded = await startMountedSandbox({
      authorizeEmit: async (request) => {
        if (request.headers.get('authorization') !== 'Bearer ok') {
          return Response.json({ error: { code: 'unauthorized' } }, { status: 401 })
        }
        return async (about) => {
          asked.push(about)
          return about.wabaId === '999' ? new Response(null, { status: 404 }) : undefined
        }
      },
    })
    try {
      const signup = await connectedSignup(guarded)
      const send = (json: Record<string, unknown>, authorization?: string) =>
        fetch(`${guarded.base}/webhooks/emit`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(authorization ? { authorization } : {}),
          },
          body: JSON.stringify({ target: callback.url, ...json }),
        })
      const inbound = { kind: 'inbound_text', phoneNumberId: signup.phoneNumberId }
      expect((await send(inbound)).status).toBe(401)
      // Refused before anything is read: an invalid body is the caller's 401 too.
      expect((await send({ kind: 'nonsense' })).status).toBe(401)
      expect(asked).toEqual([])
      expect((await send({ kind: 'partner_removed', wabaId: '999' }, 'Bearer ok')).status).toBe(404)
      expect(callback.received).toHaveLength(0)
      expect((await send(inbound, 'Bearer ok')).status).toBe(200)
      expect(asked).toEqual([
        { wabaId: '999', phoneNumberId: null },
        { wabaId: signup.wabaId, phoneNumberId: signup.phoneNumberId },
      ])
      expect(callback.received).toHaveLength(1)
    } finally {
      await guarded.close()
    }
  })
})

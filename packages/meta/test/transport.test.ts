import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createMetaClient, isMetaError, type MetaClientOptions, type MetaError } from '../src/index'
import { sendJson, startStubGraph } from './stub-graph'

const APP_ID = '111222333444555'
const APP_SECRET = '0123456789abcdef0123456789abcdef'
const TOKEN = `EAAB${'x'.repeat(60)}`

const stubs: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((s) => s.close()))
})

async function stub(handler: Parameters<typeof startStubGraph>[0]) {
  const s = await startStubGraph(handler)
  stubs.push(s)
  return s
}

function client(url: string, overrides: Partial<MetaClientOptions> = {}) {
  return createMetaClient({
    graphUrl: url,
    graphVersion: 'v25.0',
    appId: APP_ID,
    appSecret: APP_SECRET,
    retryBaseDelayMs: 1,
    ...overrides,
  })
}

async function failure(promise: Promise<unknown>): Promise<MetaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isMetaError(error)) throw new Error(`expected a MetaError, got ${String(error)}`)
  return error
}

const transient = {
  error: {
    message: 'An unexpected error has occurred.',
    type: 'OAuthException',
    code: 2,
    is_transient: true,
    fbtrace_id: 'Abc',
  },
}
const waba = { id: '123', name: 'Acme', currency: 'USD', timezone_id: '1' }

describe('transport', () => {
  it('sends the token as Bearer with an appsecret_proof, never in the URL', async () => {
    const s = await stub((_req, res) => sendJson(res, 200, waba))
    await client(s.url).getWaba('123', TOKEN)
    const req = s.requests[0]!
    expect(req.url.pathname).toBe('/v25.0/123')
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(req.url.searchParams.get('appsecret_proof')).toBe(
      createHmac('sha256', APP_SECRET).update(TOKEN).digest('hex'),
    )
    expect(req.url.searchParams.has('access_token')).toBe(false)
    expect(req.url.searchParams.get('fields')).toContain('owner_business_info')
  })

  it('times out a slow Graph and reports a retryable meta_api_error', async () => {
    const s = await stub(() => {
      // never answers
    })
    const error = await failure(
      client(s.url, { timeoutMs: 150, maxRetries: 1 }).getWaba('123', TOKEN),
    )
    expect(error.code).toBe('meta_api_error')
    expect(error.retryable).toBe(true)
    expect(error.httpStatus).toBe(0)
    expect(error.message).toContain('timed out')
    expect(s.requests).toHaveLength(2)
  })

  it('treats a non-JSON 502 as transient and retries it a bounded number of times', async () => {
    const s = await stub((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' })
      res.end('<html><body>Bad gateway</body></html>')
    })
    const error = await failure(client(s.url, { maxRetries: 2 }).listPhoneNumbers('123', TOKEN))
    expect(error.code).toBe('meta_api_error')
    expect(error.httpStatus).toBe(502)
    expect(error.retryable).toBe(true)
    expect(s.requests).toHaveLength(3)
  })

  it('recovers when a transient Graph error clears within the retry budget', async () => {
    const s = await stub((_req, res) => {
      if (s.requests.length <= 2) sendJson(res, 503, transient)
      else sendJson(res, 200, waba)
    })
    const result = await client(s.url, { maxRetries: 2 }).getWaba('123', TOKEN)
    expect(result.name).toBe('Acme')
    expect(s.requests).toHaveLength(3)
  })

  it('does not retry errors that are not transient, nor rate limits', async () => {
    const s = await stub((req, res) => {
      if (req.url.pathname.endsWith('/1')) {
        sendJson(res, 400, {
          error: {
            message: 'Unsupported get request.',
            type: 'GraphMethodException',
            code: 100,
            error_subcode: 33,
          },
        })
      } else {
        sendJson(res, 400, {
          error: {
            message: '(#4) Application request limit reached',
            type: 'OAuthException',
            code: 4,
            is_transient: true,
          },
        })
      }
    })
    const c = client(s.url, { maxRetries: 2 })
    const notFound = await failure(c.getWaba('1', TOKEN))
    expect(notFound.code).toBe('meta_api_error')
    expect(notFound.retryable).toBe(false)
    expect(notFound.graph).toMatchObject({ code: 100, subcode: 33, type: 'GraphMethodException' })
    const limited = await failure(c.getWaba('2', TOKEN))
    expect(limited.code).toBe('rate_limited')
    expect(limited.retryable).toBe(true)
    expect(s.requests).toHaveLength(2)
  })

  it('never retries the code exchange, even on a transient failure', async () => {
    const s = await stub((_req, res) => sendJson(res, 500, transient))
    const error = await failure(client(s.url, { maxRetries: 2 }).exchangeCode('AQBsomecode'))
    expect(error.code).toBe('meta_api_error')
    expect(s.requests).toHaveLength(1)
    const query = s.requests[0]!.url.searchParams
    expect(query.get('client_id')).toBe(APP_ID)
    expect(query.get('code')).toBe('AQBsomecode')
  })

  it('keeps tokens, codes and the app secret out of error messages', async () => {
    const code = `AQB${'c'.repeat(80)}`
    const s = await stub((req, res) =>
      sendJson(res, 400, {
        error: {
          message: `Bad things about ${TOKEN} and ${APP_SECRET} and ${req.url.searchParams.get('code') ?? ''}`,
          type: 'OAuthException',
          code: 190,
        },
      }),
    )
    const c = client(s.url)
    for (const error of [
      await failure(c.getWaba('1', TOKEN)),
      await failure(c.exchangeCode(code)),
    ]) {
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error)}`
      expect(everything).not.toContain(TOKEN)
      expect(everything).not.toContain(APP_SECRET)
      expect(everything).not.toContain(code)
      expect(error.message).toContain('[redacted]')
    }
  })

  it('refuses to follow paging.next to another host', async () => {
    const elsewhere = await stub((_req, res) => sendJson(res, 200, { data: [] }))
    const s = await stub((_req, res) =>
      sendJson(res, 200, {
        data: [{ id: '1', display_phone_number: '+1 631-555-0100' }],
        paging: { next: `${elsewhere.url}/v25.0/123/phone_numbers?after=x` },
      }),
    )
    const error = await failure(client(s.url).listPhoneNumbers('123', TOKEN))
    expect(error.code).toBe('meta_api_error')
    expect(elsewhere.requests).toHaveLength(0)
  })

  it('parses leniently: unknown enum values, numeric ids, missing optional fields', async () => {
    const s = await stub((_req, res) =>
      sendJson(res, 200, {
        data: [
          {
            id: 42,
            display_phone_number: '15555550100',
            quality_rating: 'PURPLE',
            status: 'NEW_STATE',
          },
        ],
      }),
    )
    const phones = await client(s.url).listPhoneNumbers('123', TOKEN)
    expect(phones).toEqual([
      {
        id: '42',
        displayPhoneNumber: '15555550100',
        verifiedName: null,
        qualityRating: 'PURPLE',
        codeVerificationStatus: null,
        platformType: null,
        status: 'NEW_STATE',
        nameStatus: null,
      },
    ])
  })

  it('reports success: false and unreadable bodies as meta_api_error', async () => {
    const s = await stub((req, res) => {
      if (req.method === 'POST') sendJson(res, 200, { success: false })
      else sendJson(res, 200, { unexpected: true })
    })
    const c = client(s.url)
    expect((await failure(c.subscribeApp('123', TOKEN))).code).toBe('meta_api_error')
    expect((await failure(c.getPhoneHealth('123', TOKEN))).retryable).toBe(false)
  })

  it('rejects ids and PINs that are not digits without calling Graph', async () => {
    const s = await stub((_req, res) => sendJson(res, 200, waba))
    const c = client(s.url)
    expect((await failure(c.getWaba('../me', TOKEN))).code).toBe('meta_api_error')
    await expect(c.registerPhone('123', '12345', TOKEN)).rejects.toThrow(TypeError)
    expect(s.requests).toHaveLength(0)
  })

  it('says whether a failed send may have reached Meta: after it left yes, before it left no', async () => {
    const message = { to: '16505551234', type: 'text', text: { body: 'hi' } }
    const reset = await stub((_req, res) => res.socket?.destroy())
    const lost = await failure(client(reset.url).sendMessage('123', message, TOKEN))
    expect(lost.ambiguous).toBe(true)
    expect(reset.requests).toHaveLength(1)

    const down = await stub((_req, res) => sendJson(res, 503, transient))
    expect((await failure(client(down.url).sendMessage('123', message, TOKEN))).ambiguous).toBe(
      true,
    )
    const refused = await stub((_req, res) => sendJson(res, 400, { error: { code: 131047 } }))
    expect((await failure(client(refused.url).sendMessage('123', message, TOKEN))).ambiguous).toBe(
      false,
    )

    // A port nobody listens on: the connection is refused, so nothing was sent.
    const closed = await stub((_req, res) => sendJson(res, 200, {}))
    const url = closed.url
    await closed.close()
    stubs.splice(stubs.indexOf(closed), 1)
    const never = await failure(client(url).sendMessage('123', message, TOKEN))
    expect(never.httpStatus).toBe(0)
    expect(never.ambiguous).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError } from './support/responses'
import { countLinks } from './support/signup'

const valid = { name: 'Acme Corp' }

/** Each case: a body that must be refused with 400, and the field the error must name. */
const invalidBodies: Array<[string, Record<string, unknown>, string]> = [
  ['name missing', {}, 'name'],
  ['name empty', { name: '' }, 'name'],
  ['name blank', { name: '   ' }, 'name'],
  ['name too long', { name: 'x'.repeat(256) }, 'name'],
  ['name not a string', { name: 42 }, 'name'],
  ['externalId empty', { ...valid, externalId: '' }, 'externalId'],
  ['externalId too long', { ...valid, externalId: 'x'.repeat(256) }, 'externalId'],
  ['metadata an array', { ...valid, metadata: ['a'] }, 'metadata'],
  ['metadata a string', { ...valid, metadata: 'a' }, 'metadata'],
  ['metadata over 10 KB', { ...valid, metadata: { blob: 'x'.repeat(10 * 1024) } }, 'metadata'],
  ['redirectUrl not a URL', { ...valid, redirectUrl: 'not a url' }, 'redirectUrl'],
  ['redirectUrl plain http', { ...valid, redirectUrl: 'http://myapp.com/cb' }, 'redirectUrl'],
  ['redirectUrl javascript:', { ...valid, redirectUrl: 'javascript:alert(1)' }, 'redirectUrl'],
  ['redirectUrl data:', { ...valid, redirectUrl: 'data:text/html,hi' }, 'redirectUrl'],
  ['redirectUrl file:', { ...valid, redirectUrl: 'file:///etc/passwd' }, 'redirectUrl'],
  [
    'webhookUrl plain http',
    { ...valid, webhookUrl: 'http://myapp.com/h', webhookEvents: ['message.sent'] },
    'webhookUrl',
  ],
  [
    'webhookUrl app scheme',
    { ...valid, webhookUrl: 'myapp://hook', webhookEvents: ['message.sent'] },
    'webhookUrl',
  ],
  [
    'webhookSecret too short',
    {
      ...valid,
      webhookUrl: 'https://h.example/x',
      webhookEvents: ['message.sent'],
      webhookSecret: 'x'.repeat(15),
    },
    'webhookSecret',
  ],
  [
    'webhookSecret too long',
    {
      ...valid,
      webhookUrl: 'https://h.example/x',
      webhookEvents: ['message.sent'],
      webhookSecret: 'x'.repeat(257),
    },
    'webhookSecret',
  ],
  [
    'webhookEvents missing with webhookUrl',
    { ...valid, webhookUrl: 'https://h.example/x' },
    'webhookEvents',
  ],
  [
    'webhookEvents empty',
    { ...valid, webhookUrl: 'https://h.example/x', webhookEvents: [] },
    'webhookEvents',
  ],
  [
    'webhookEvents unknown type',
    { ...valid, webhookUrl: 'https://h.example/x', webhookEvents: ['message.exploded'] },
    'webhookEvents[0]',
  ],
  [
    'webhookEvents duplicated',
    {
      ...valid,
      webhookUrl: 'https://h.example/x',
      webhookEvents: ['message.sent', 'message.sent'],
    },
    'webhookEvents[1]',
  ],
  [
    'webhookEvents without webhookUrl',
    { ...valid, webhookEvents: ['message.sent'] },
    'webhookEvents',
  ],
  [
    'webhookSecret without webhookUrl',
    { ...valid, webhookSecret: 'x'.repeat(20) },
    'webhookSecret',
  ],
  ['expiresInSeconds too small', { ...valid, expiresInSeconds: 899 }, 'expiresInSeconds'],
  ['expiresInSeconds too large', { ...valid, expiresInSeconds: 7_776_001 }, 'expiresInSeconds'],
  ['expiresInSeconds fractional', { ...valid, expiresInSeconds: 1000.5 }, 'expiresInSeconds'],
  ['unknown field', { ...valid, colour: 'blue' }, 'colour'],
]

const acceptedRedirects = [
  'https://myapp.com/whatsapp/callback?x=1',
  'http://localhost:8080/cb',
  'http://127.0.0.1/cb',
  'myapp://cb',
  'com.example.app://whatsapp/callback',
]

describe('onboarding links: bad input', () => {
  const api = useTestApi()
  const org = useOrganization(api)

  it.each(invalidBodies)(
    'refuses %s with a 400 naming the field, writing nothing',
    async (_, body, field) => {
      const before = await countLinks(api)
      const res = await api.request('/v1/onboarding-links', {
        method: 'POST',
        key: org.test,
        json: body,
      })
      expect(res.status).toBe(400)
      const error = await readError(res)
      expect(error.code).toBe('validation_error')
      expect(error.details?.map((d) => d.field)).toContain(field)
      expect(error.message).toEqual(expect.any(String))
      expect(await countLinks(api)).toBe(before)
    },
  )

  it.each(acceptedRedirects)('accepts the redirectUrl %s', async (redirectUrl) => {
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: { ...valid, redirectUrl },
    })
    expect(res.status).toBe(201)
    expect((await readData(res, 'link')).redirectUrl).toBe(redirectUrl)
  })

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      headers: { 'content-type': 'application/json' },
      body: '{"name": "Acme",',
    })
    expect(res.status).toBe(400)
    expect((await readError(res)).code).toBe('invalid_json')
  })

  it('answers a non-JSON content type with 415', async () => {
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Acme',
    })
    expect(res.status).toBe(415)
    expect((await readError(res)).code).toBe('unsupported_media_type')
  })

  it('answers a body over 64 KB with 413', async () => {
    const before = await countLinks(api)
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: { name: 'Big', metadata: { blob: 'x'.repeat(70 * 1024) } },
    })
    expect(res.status).toBe(413)
    expect((await readError(res)).code).toBe('payload_too_large')
    expect(await countLinks(api)).toBe(before)
  })

  /** A body sent in chunks with no Content-Length, so only counting the bytes can refuse it. */
  const postChunked = (chunks: string[]) =>
    api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk))
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)

  it('answers a chunked body over 64 KB with 413, counting the bytes as they come', async () => {
    const before = await countLinks(api)
    const blob = 'x'.repeat(16 * 1024)
    const res = await postChunked([
      '{"name":"Big","metadata":{',
      ...[1, 2, 3, 4, 5].map((i) => `"b${i}":"${blob}",`),
      '"end":1}}',
    ])
    expect(res.status).toBe(413)
    expect((await readError(res)).code).toBe('payload_too_large')
    expect(await countLinks(api)).toBe(before)
  })

  it('accepts a chunked JSON body under 64 KB', async () => {
    const res = await postChunked(['{"name":', '"Chunked Corp",', '"metadata":{"a":"b"}}'])
    expect(res.status).toBe(201)
    expect(await readData(res, 'link')).toMatchObject({
      name: 'Chunked Corp',
      metadata: { a: 'b' },
    })
  })

  it('answers a JSON body that is not an object with 400', async () => {
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: ['Acme'],
    })
    expect(res.status).toBe(400)
  })

  it('rejects bad pagination parameters naming the field', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['page=0', 'page'],
      ['page=abc', 'page'],
    ]) {
      const res = await api.request(`/v1/onboarding-links?${query}`, { key: org.test })
      expect(res.status).toBe(400)
      const error = await readError(res)
      expect(error.details?.[0]?.field).toBe(field)
    }
  })

  it('answers unknown routes with a JSON 404', async () => {
    const res = await api.request('/v1/nothing-here', { key: org.test })
    expect(res.status).toBe(404)
    expect((await readError(res)).code).toBe('not_found')
  })

  it('tells a missing field from a field of the wrong type', async () => {
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: { metadata: 'x', expiresInSeconds: 'soon' },
    })
    const error = await readError(res)
    const message = (field: string) => error.details?.find((d) => d.field === field)?.message
    expect(message('name')).toBe('is required')
    expect(message('metadata')).toBe('must be a JSON object (got string)')
    expect(message('expiresInSeconds')).toBe('must be a number (got string)')
  })
})

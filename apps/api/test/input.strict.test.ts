import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError, readList } from './support/responses'
import { createSession, SESSIONS } from './support/sessions'
import { callbackBody, createLink, pageConfig, playSandbox } from './support/signup'

/** A metadata object `depth` levels deep: depth 1 is `{ k: 'v' }`. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { k: 'v' }
  for (let level = 1; level < depth; level++) value = { k: value }
  return value
}

/** The same, as text: JSON.stringify itself recurses, so very deep bodies are built by hand. */
function nestedText(depth: number): string {
  return `${'{"k":'.repeat(depth - 1)}{"k":"v"}${'}'.repeat(depth - 1)}`
}

describe('strict input: bounded JSON, text and pagination', () => {
  const api = useTestApi()
  const org = useOrganization(api, { scope: 'test' })

  const post = (path: string, body: string, key = org.test) =>
    api.request(path, {
      method: 'POST',
      key,
      headers: { 'content-type': 'application/json' },
      body,
    })
  const sessionBody = (metadata: string) =>
    `{"redirect_uri":"https://example.com/cb","state":"s","metadata":${metadata}}`

  describe('JSON nesting depth', () => {
    it('accepts metadata 32 deep, and a metadata filter still lists the session', async () => {
      const created = await createSession(api, org.test, {
        metadata: { externalUserId: 'deep', tree: nested(31) },
      })
      const res = await api.request(`${SESSIONS}?metadata[externalUserId]=deep`, { key: org.test })
      expect(res.status).toBe(200)
      const body = await readList(res, 'session')
      expect(body.data.map((s) => s.id)).toEqual([created.id])
      // Every other filter of the organisation reads as well.
      const none = await api.request(`${SESSIONS}?metadata[plan]=pro`, { key: org.test })
      expect(none.status).toBe(200)
    })

    it('refuses session metadata 33 deep with a 400 naming metadata, storing nothing', async () => {
      const res = await post(SESSIONS, sessionBody(nestedText(33)))
      const error = await readError(res, 400)
      expect(error.code).toBe('validation_error')
      expect(error.details).toEqual([
        { field: 'metadata', message: expect.stringMatching(/nested more than 32 levels/) },
      ])
      const listed = await readList(await api.request(SESSIONS, { key: org.test }), 'session')
      expect(listed.pagination.total).toBe(0)
    })

    it('refuses metadata 1,200 and 5,000 deep with a 400, not a 500', async () => {
      for (const depth of [1_200, 5_000]) {
        const res = await post(SESSIONS, sessionBody(nestedText(depth)))
        expect(res.status, `depth ${depth}`).toBe(400)
        expect((await readError(res)).details?.[0]?.field).toBe('metadata')
      }
      // Arrays nest too, and as deep as 64 KB allows.
      const arrays = await post(
        SESSIONS,
        sessionBody(`{"a":${'['.repeat(30_000)}${']'.repeat(30_000)}}`),
      )
      expect((await readError(arrays, 400)).details?.[0]?.field).toBe('metadata')
      const link = await post(
        '/v1/onboarding-links',
        `{"name":"Deep","metadata":${nestedText(5_000)}}`,
      )
      expect((await readError(link, 400)).details?.[0]?.field).toBe('metadata')
    })

    it('refuses any body field nested too deep, even one no schema knows', async () => {
      const res = await post(
        '/v1/outgoing-webhooks',
        `{"url":"https://example.com/h","events":["message.received"],"extra":${nestedText(40)}}`,
      )
      expect((await readError(res, 400)).details?.[0]?.field).toBe('extra')
      const callback = await post(
        '/signup/wss_nothing/callback',
        `{"code":${nestedText(5_000)}}`,
        '',
      )
      expect((await readError(callback, 400)).details?.[0]?.field).toBe('code')
    })
  })

  describe('text', () => {
    it('refuses a body that is not valid UTF-8 as invalid_json, storing nothing', async () => {
      const valid = Buffer.from('{"redirect_uri":"https://example.com/cb","state":"')
      const body = Buffer.concat([valid, Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])
      const res = await api.request(SESSIONS, {
        method: 'POST',
        key: org.test,
        headers: { 'content-type': 'application/json' },
        body,
      })
      expect((await readError(res, 400)).code).toBe('invalid_json')
      const listed = await readList(await api.request(SESSIONS, { key: org.test }), 'session')
      expect(listed.pagination.total).toBe(0)
    })

    it('refuses NUL characters in any string of a body, naming the field', async () => {
      const cases: Array<[string, string, string]> = [
        [SESSIONS, '{"redirect_uri":"https://example.com/cb","state":"a\\u0000b"}', 'state'],
        [
          SESSIONS,
          '{"redirect_uri":"https://example.com/cb","state":"s","metadata":{"note":["ok","x\\u0000"]}}',
          'metadata.note[1]',
        ],
        [
          SESSIONS,
          '{"redirect_uri":"https://example.com/cb","state":"s","metadata":{"a\\u0000":1}}',
          'metadata',
        ],
        ['/v1/onboarding-links', '{"name":"Acme\\u0000"}', 'name'],
        [
          '/v1/onboarding-links',
          '{"name":"Acme","prefill":{"business":{"name":"A\\u0000"}}}',
          'prefill.business.name',
        ],
        [
          '/v1/outgoing-webhooks',
          '{"url":"https://example.com/h","events":["message.received"],"description":"\\u0000"}',
          'description',
        ],
      ]
      for (const [path, body, field] of cases) {
        const res = await post(path, body)
        expect(res.status, body).toBe(400)
        const error = await readError(res)
        expect(error.code).toBe('validation_error')
        expect(error.details?.[0]?.field, body).toBe(field)
        expect(error.details?.[0]?.message).toMatch(/NUL/)
      }
      const callback = await post('/signup/wss_nothing/callback', '{"code":"a\\u0000"}', '')
      expect((await readError(callback, 400)).details?.[0]?.field).toBe('code')
      const listed = await readList(await api.request(SESSIONS, { key: org.test }), 'session')
      expect(listed.pagination.total).toBe(0)
    })
  })

  describe('lone surrogates', () => {
    // `\ud800` is valid JSON syntax but no Unicode text: stored, it would read back as U+FFFD
    // (SQLite and every UTF-8 consumer repair it), so the body is refused, not repaired.
    it('refuses a string or key that is not well-formed UTF-16 as invalid_json, naming the field', async () => {
      const cases: Array<[string, string, string]> = [
        ['/v1/onboarding-links', '{"name":"x\\ud800y"}', 'name'],
        ['/v1/onboarding-links', '{"name":"x\\udfff"}', 'name'],
        ['/v1/onboarding-links', '{"name":"\\udc00\\ud800"}', 'name'],
        [
          '/v1/onboarding-links',
          '{"name":"Acme","prefill":{"business":{"name":"A\\ud83d"}}}',
          'prefill.business.name',
        ],
        [
          SESSIONS,
          '{"redirect_uri":"https://example.com/cb","state":"s","metadata":{"note":["ok","\\ud800"]}}',
          'metadata.note[1]',
        ],
        [
          SESSIONS,
          '{"redirect_uri":"https://example.com/cb","state":"s","metadata":{"k\\ud800":1}}',
          'metadata',
        ],
      ]
      for (const [path, body, field] of cases) {
        const res = await post(path, body)
        expect(res.status, body).toBe(400)
        const error = await readError(res)
        expect(error.code, body).toBe('invalid_json')
        expect(error.details?.[0]?.field, body).toBe(field)
        expect(error.details?.[0]?.message).toMatch(/UTF-16|surrogate/)
      }
      const links = await readList(
        await api.request('/v1/onboarding-links', { key: org.test }),
        'link',
      )
      expect(links.pagination.total).toBe(0)
      const sessions = await readList(await api.request(SESSIONS, { key: org.test }), 'session')
      expect(sessions.pagination.total).toBe(0)
    })

    it('still accepts a well-formed surrogate pair (an emoji), stored as sent', async () => {
      const res = await post('/v1/onboarding-links', '{"name":"x\\ud83d\\ude00y"}')
      expect(res.status).toBe(201)
      expect((await readData(res, 'link')).name).toBe('x😀y')
    })

    it("refuses one on the hosted page's callback, and the link stays pending", async () => {
      const link = await createLink(api, org.test)
      const { nonce } = await pageConfig(api, link.id)
      const result = await playSandbox(api, 'success')
      // JSON.stringify writes a lone surrogate as the escape `\ud800`, as a hostile page would.
      const body = JSON.stringify({ ...callbackBody(nonce, result), code: `${result.code}\ud800` })
      expect(body).toContain('\\ud800')
      const res = await post(`/signup/${link.id}/callback`, body, '')
      expect(res.status).toBe(400)
      const error = await readError(res)
      expect(error.code).toBe('invalid_json')
      expect(error.details?.[0]?.field).toBe('code')
      const after = await api.request(`/v1/onboarding-links/${link.id}`, { key: org.test })
      expect((await readData(after, 'link')).status).toBe('pending')
    })
  })

  describe('pagination parameters', () => {
    it('accepts plain decimal integers', async () => {
      const res = await api.request('/v1/onboarding-links?page=2&limit=10', { key: org.test })
      expect(res.status).toBe(200)
      expect((await readList(res, 'link')).pagination).toMatchObject({ page: 2, limit: 10 })
    })

    it('refuses anything else, naming the parameter', async () => {
      const cases: Array<[string, string]> = [
        ['page=0x10', 'page'],
        ['page=%201', 'page'],
        ['page=1%20', 'page'],
        ['page=+1', 'page'],
        ['page=1.0', 'page'],
        ['page=', 'page'],
        ['page=01e0', 'page'],
        ['limit=1e1', 'limit'],
        ['limit=0b11', 'limit'],
        ['limit=-0', 'limit'],
      ]
      for (const path of [
        '/v1/onboarding-links',
        SESSIONS,
        '/v1/phones',
        '/v1/outgoing-webhooks',
      ]) {
        for (const [query, field] of cases) {
          const res = await api.request(`${path}?${query}`, { key: org.test })
          expect(res.status, `${path}?${query}`).toBe(400)
          const error = await readError(res)
          expect(error.details?.[0]?.field, `${path}?${query}`).toBe(field)
        }
      }
    })
  })
})

import { SANDBOX_FAILING_RECIPIENTS } from '@onboard/meta-sandbox'
import { beforeAll, describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readBody, readData, readError, readList } from './support/responses'
import { completeWith, createLink } from './support/signup'

/** The parts of the OpenAPI document these tests look at. */
interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, unknown> } | undefined> | undefined
  >
  components: { schemas: Record<string, unknown> }
}

const TEXT = { type: 'text', text: { body: 'Hello from the tests' } }

/** Each of Meta's send failures, reproduced by the sandbox's magic recipients, as our API answers it. */
describe('sending messages: Meta’s errors, health, validation and scope', () => {
  const api = useTestApi()
  const org = useOrganization(api)

  /** A number connected through a test link in `org`, with the sandbox options given. */
  async function connectPhone(options: Record<string, unknown> = {}): Promise<string> {
    const link = await createLink(api, org.test)
    const { res } = await completeWith(api, link.id, 'success', options)
    expect(res.status).toBe(200)
    const got = await api.request(`/v1/onboarding-links/${link.id}`, { key: org.test })
    const { phoneNumberId, status } = await readData(got, 'link')
    if (!phoneNumberId) throw new Error(`link ${link.id} connected no phone number (${status})`)
    return phoneNumberId
  }

  const send = (phoneId: string, json: unknown, key = org.test) =>
    api.request(`/v1/phones/${phoneId}/messages`, { method: 'POST', key, json })

  it('documents the message routes in the OpenAPI document', async () => {
    const doc = await readBody<OpenApiDocument>(await api.request('/openapi.json'))
    expect(doc.paths['/v1/phones/{id}/messages']?.post).toBeDefined()
    expect(doc.paths['/v1/phones/{id}/messages']?.get).toBeDefined()
    expect(doc.paths['/v1/phones/{id}/templates']?.get).toBeDefined()
    expect(doc.paths['/v1/messages/{id}']?.get).toBeDefined()
    expect(doc.components.schemas.SendMessageRequest).toBeDefined()
    expect(doc.components.schemas.Message).toBeDefined()
    expect(Object.keys(doc.paths['/v1/phones/{id}/messages']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '404', '409', '429', '503']),
    )
  })

  describe('Meta’s errors', () => {
    let phoneId: string
    beforeAll(async () => {
      phoneId = await connectPhone()
    })

    it.each([
      ['131047', 409, 'outside_customer_service_window', null],
      ['131026', 400, 'recipient_undeliverable', null],
      ['131030', 400, 'recipient_not_allowed', null],
      ['130429', 429, 'rate_limited', '1'],
      ['131048', 429, 'rate_limited', '60'],
      ['131056', 429, 'rate_limited', '6'],
      ['80007', 429, 'rate_limited', '60'],
      // Meta's 5xx may follow a send Meta took: stored as unknown (messages.idempotency.test.ts).
      ['2', 503, 'meta_outcome_unknown', null],
    ])('Meta %s → %i %s', async (metaCode, status, code, retryAfter) => {
      const recipient = Object.entries(SANDBOX_FAILING_RECIPIENTS).find(
        ([, value]) => String(value) === metaCode,
      )?.[0]
      expect(recipient).toBeDefined()
      const res = await send(phoneId, { to: `+${recipient}`, ...TEXT })
      expect((await readError(res, status)).code).toBe(code)
      expect(res.headers.get('retry-after')).toBe(retryAfter)
    })

    it('stores nothing for a refused send; a send Meta answered 5xx is stored as unknown', async () => {
      const list = await api.request(`/v1/phones/${phoneId}/messages`, { key: org.test })
      const { data, pagination } = await readList(list, 'message')
      expect(pagination.total).toBe(1)
      expect(data[0]).toMatchObject({ to: '+15550000503', status: 'unknown', wamid: null })
    })

    it('a template Meta does not know is Meta’s 400, naming its code', async () => {
      const res = await send(phoneId, {
        to: '+16505551234',
        type: 'template',
        template: { name: 'no_such_template', language: { code: 'en_US' } },
      })
      const error = await readError(res, 400)
      expect(error.code).toBe('meta_rejected')
      expect(error.message).toContain('132001')
    })
  })

  it('an invalid token (190) is a 409, a health issue, and stops the next send before Meta', async () => {
    const phoneId = await connectPhone()
    const res = await send(phoneId, { to: `+${'15550000190'}`, ...TEXT })
    expect((await readError(res, 409)).code).toBe('business_token_invalid')

    const health = await readData(
      await api.request(`/v1/phones/${phoneId}/health`, { key: org.test }),
      'phoneHealth',
    )
    expect(health.capabilities.canSendMessages).toBe(false)
    expect(health.issues).toContainEqual(
      expect.objectContaining({
        code: 'business_token_invalid',
        source: 'token',
        metaErrorCode: 190,
      }),
    )
    // The sandbox would accept this recipient: the 409 comes before Meta is asked.
    const next = await send(phoneId, { to: '+16505551234', ...TEXT })
    expect((await readError(next, 409)).code).toBe('business_token_invalid')
  })

  it('a number that is not registered answers 409 with that health issue', async () => {
    const phoneId = await connectPhone({ registerFails: true })
    const res = await send(phoneId, { to: '+16505551234', ...TEXT })
    const error = await readError(res, 409)
    expect(error.code).toBe('phone_not_registered')
    expect(error.message).toContain('not registered')
  })

  it('a number Meta’s health shows BLOCKED answers 409 with the health issue', async () => {
    const phoneId = await connectPhone({ health: 'BLOCKED' })
    // Reading the health stores Meta's answer, which sending then goes by.
    const health = await api.request(`/v1/phones/${phoneId}/health`, { key: org.test })
    expect((await readData(health, 'phoneHealth')).capabilities.canSendMessages).toBe(false)
    const res = await send(phoneId, { to: '+16505551234', ...TEXT })
    expect((await readError(res, 409)).code).toBe('meta_error_141006')
  })

  describe('validation and scope', () => {
    let phoneId: string
    let messageId: string
    beforeAll(async () => {
      phoneId = await connectPhone()
      const res = await send(phoneId, { to: '+16505551234', ...TEXT })
      expect(res.status).toBe(201)
      messageId = (await readData(res, 'sentMessage')).id
    })

    it.each([
      [{ to: '0123', ...TEXT }, 'to'],
      [{ to: '+16505551234', type: 'text', text: {} }, 'text.body'],
      [{ to: '+16505551234', type: 'text', text: { body: 'x' }, image: {} }, 'image'],
      [{ to: '+16505551234', type: 'sms', text: { body: 'x' } }, 'type'],
      [
        {
          to: '+16505551234',
          type: 'image',
          image: { link: 'ftp://example.com/a.png' },
        },
        'image.link',
      ],
      [
        {
          to: '+16505551234',
          type: 'interactive',
          interactive: {
            type: 'button',
            body: { text: 'Pick one' },
            action: {
              buttons: [1, 2, 3, 4].map((n) => ({
                type: 'reply',
                reply: { id: `b${n}`, title: `Option ${n}` },
              })),
            },
          },
        },
        'interactive.action.buttons',
      ],
    ])('400 naming the field: %j', async (body, field) => {
      const res = await send(phoneId, body)
      const error = await readError(res, 400)
      expect(error.code).toBe('validation_error')
      expect(error.details?.map((d) => d.field)).toContain(field)
    })

    it('accepts each common type in Meta’s shape', async () => {
      const bodies = [
        { type: 'image', image: { link: 'https://example.com/a.png', caption: 'A' } },
        { type: 'document', document: { link: 'https://example.com/a.pdf', filename: 'a.pdf' } },
        { type: 'audio', audio: { link: 'https://example.com/a.ogg' } },
        { type: 'video', video: { link: 'https://example.com/a.mp4' } },
        {
          type: 'interactive',
          interactive: {
            type: 'list',
            body: { text: 'Choose' },
            action: {
              button: 'Options',
              sections: [{ title: 'Sizes', rows: [{ id: 'l', title: 'Large' }] }],
            },
          },
        },
        { type: 'reaction', reaction: { message_id: 'wamid.ABC', emoji: '👍' } },
        { type: 'location', location: { latitude: 40.4, longitude: -3.7, name: 'Office' } },
      ]
      for (const body of bodies) {
        const res = await send(phoneId, { to: '16505551234', ...body })
        expect(res.status, JSON.stringify(body)).toBe(201)
        expect((await readData(res, 'sentMessage')).type).toBe(body.type)
      }
    })

    it('another organisation’s key and the live key get 404', async () => {
      const other = await api.createOrganization('Other')
      for (const key of [other.test, org.live]) {
        expect((await send(phoneId, { to: '+16505551234', ...TEXT }, key)).status).toBe(404)
        for (const path of [
          `/v1/phones/${phoneId}/messages`,
          `/v1/phones/${phoneId}/templates`,
          `/v1/messages/${messageId}`,
        ]) {
          const res = await api.request(path, { key })
          expect(res.status, path).toBe(404)
          expect((await readError(res)).code).toBe('not_found')
        }
      }
      expect((await api.request(`/v1/messages/${messageId}`, { key: org.test })).status).toBe(200)
    })
  })
})

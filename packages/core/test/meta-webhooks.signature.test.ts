import { describe, expect, it } from 'vitest'
import { metaWebhooks } from '../src/index'

const apps: metaWebhooks.SigningApp[] = [
  { mode: 'live', secret: 'live-app-secret' },
  { mode: 'test', secret: 'sandbox-app-secret' },
]

describe('X-Hub-Signature-256', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}')

  it('names the mode of the app whose secret signed the raw bytes', () => {
    const live = metaWebhooks.signMetaBody(body, 'live-app-secret')
    expect(live).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(metaWebhooks.verifyMetaSignature(body, live, apps)).toBe('live')
    const test = metaWebhooks.signMetaBody(body, 'sandbox-app-secret')
    expect(metaWebhooks.verifyMetaSignature(body, test, apps)).toBe('test')
    expect(
      metaWebhooks.verifyMetaSignature(body, test.toUpperCase().replace('SHA256', 'sha256'), apps),
    ).toBe('test')
  })

  it('refuses a missing, malformed, other-secret or other-body signature', () => {
    const signed = metaWebhooks.signMetaBody(body, 'live-app-secret')
    expect(metaWebhooks.verifyMetaSignature(body, undefined, apps)).toBeNull()
    expect(metaWebhooks.verifyMetaSignature(body, '', apps)).toBeNull()
    expect(metaWebhooks.verifyMetaSignature(body, signed.slice(7), apps)).toBeNull()
    expect(metaWebhooks.verifyMetaSignature(body, `${signed}00`, apps)).toBeNull()
    expect(metaWebhooks.verifyMetaSignature(body, `sha1=${signed.slice(7)}`, apps)).toBeNull()
    expect(
      metaWebhooks.verifyMetaSignature(body, metaWebhooks.signMetaBody(body, 'other'), apps),
    ).toBeNull()
    // Re-serialised JSON is other bytes: Meta escapes non-ASCII as \u00e4.
    const escaped = Buffer.from('{"t":"\\u00e4"}')
    const sig = metaWebhooks.signMetaBody(escaped, 'live-app-secret')
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(escaped.toString())))
    expect(metaWebhooks.verifyMetaSignature(reserialised, sig, apps)).toBeNull()
    expect(metaWebhooks.verifyMetaSignature(escaped, sig, apps)).toBe('live')
  })

  it('answers the handshake only for subscribe with the configured token', () => {
    const query = { mode: 'subscribe', token: 'tok', challenge: '1158201444' }
    expect(metaWebhooks.answerHandshake('tok', query)).toEqual({
      ok: true,
      challenge: '1158201444',
    })
    expect(metaWebhooks.answerHandshake(undefined, query)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('META_WEBHOOK_VERIFY_TOKEN is not set'),
    })
    expect(metaWebhooks.answerHandshake('tok', { ...query, token: 'tok2' }).ok).toBe(false)
    expect(metaWebhooks.answerHandshake('tok', { ...query, mode: 'unsubscribe' }).ok).toBe(false)
    expect(metaWebhooks.answerHandshake('tok', { ...query, challenge: undefined }).ok).toBe(false)
  })
})

import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import {
  generateWebhookSecret,
  isStandardSecret,
  secretKeyBytes,
  signPayload,
  webhookHeaders,
} from '../src/index'

const body = JSON.stringify({ event: 'phone_number.connected', data: { a: 1 } })
const now = () => Math.floor(Date.now() / 1000)

describe('Standard Webhooks signing', () => {
  it('generates whsec_ + base64 of 32 random bytes', () => {
    const secret = generateWebhookSecret()
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(secretKeyBytes(secret)).toHaveLength(32)
    expect(generateWebhookSecret()).not.toBe(secret)
  })

  it('verifies with standardwebhooks for a generated secret', () => {
    const secret = generateWebhookSecret()
    const headers = webhookHeaders({ id: 'msg_abc', timestamp: now(), body, secrets: [secret] })
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body))
  })

  it('uses a seed-style secret as raw bytes, verifiable with format: raw', () => {
    const secret = 'whsec_my_secret_key_123'
    expect(isStandardSecret(secret)).toBe(false)
    const headers = webhookHeaders({ id: 'msg_abc', timestamp: now(), body, secrets: [secret] })
    expect(new Webhook(secret, { format: 'raw' }).verify(body, headers)).toEqual(JSON.parse(body))
    expect(() => new Webhook(secret).verify(body, headers)).toThrow()
  })

  it('signs with every secret during a rotation, each verifying on its own', () => {
    const current = generateWebhookSecret()
    const previous = 'a-customer-secret-1234'
    const headers = webhookHeaders({
      id: 'msg_abc',
      timestamp: now(),
      body,
      secrets: [current, previous],
    })
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2)
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow()
    expect(() => new Webhook(previous, { format: 'raw' }).verify(body, headers)).not.toThrow()
  })

  it('matches the signature standardwebhooks itself computes', () => {
    const secret = generateWebhookSecret()
    const ts = now()
    const ours = signPayload({ id: 'msg_1', timestamp: ts, body, secrets: [secret] })
    expect(ours).toBe(new Webhook(secret).sign('msg_1', new Date(ts * 1000), body))
  })

  it('treats only whsec_ + strict base64 as a standard secret', () => {
    expect(isStandardSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(true)
    expect(isStandardSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(false)
    expect(isStandardSecret('whsec_abc')).toBe(false)
    expect(isStandardSecret('whsec_ab=c')).toBe(false)
  })
})

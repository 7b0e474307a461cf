import { describe, expect, it } from 'vitest'
import { loadConfig, parseDuration } from '../src/index'

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const result = loadConfig({})
    if (!result.ok) throw new Error(result.message)
    expect(result.config).toMatchObject({
      port: 3000,
      metricsPort: 9464,
      publicBaseUrl: 'http://localhost:3000',
      databaseUrl: './data/onboarding.db',
      redisUrl: 'redis://127.0.0.1:6379',
      meta: { live: undefined, graphUrl: 'https://graph.facebook.com', graphVersion: 'v25.0' },
      webhooks: {
        retryDelaysMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
        disableAfterMs: 5 * 86_400_000,
        timeoutMs: 15_000,
        allowPrivateTargets: false,
        queuePrefix: 'onboard',
      },
    })
  })

  it.each([
    ['PORT', 'eighty'],
    ['METRICS_PORT', '70000'],
    ['WEBHOOK_QUEUE_PREFIX', 'with spaces'],
    ['PUBLIC_BASE_URL', 'localhost:3000'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['ENCRYPTION_KEY', 'too-short'],
    ['META_GRAPH_VERSION', '25'],
    ['WEBHOOK_RETRY_DELAYS', '5s,soon'],
    ['WEBHOOK_DISABLE_AFTER', 'forever'],
    ['WEBHOOK_ALLOW_PRIVATE_TARGETS', 'yes'],
    ['LOG_LEVEL', 'loud'],
  ])('names %s in one line when it is invalid', (name, value) => {
    const result = loadConfig({ [name]: value })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.message).toMatch(new RegExp(`^Invalid configuration: ${name} `))
    expect(result.message).not.toContain('\n')
  })

  it('never echoes secret values in the message', () => {
    const result = loadConfig({ ENCRYPTION_KEY: 'my-secret-value' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).not.toContain('my-secret-value')
  })

  it('requires the live-mode Meta settings together', () => {
    const partial = loadConfig({ META_APP_ID: '123' })
    expect(partial.ok).toBe(false)
    const full = loadConfig({
      META_APP_ID: '123',
      META_APP_SECRET: 's',
      META_CONFIG_ID: 'c',
      META_SOLUTION_ID: 'sol',
    })
    expect(full.ok && full.config.meta.live).toEqual({
      appId: '123',
      appSecret: 's',
      configId: 'c',
      solutionId: 'sol',
    })
  })

  it('reads previous encryption keys, refusing one that is not 32 bytes without echoing it', () => {
    const k1 = Buffer.alloc(32, 1).toString('base64')
    const k2 = Buffer.alloc(32, 2).toString('base64')
    const none = loadConfig({})
    expect(none.ok && none.config.previousEncryptionKeys).toEqual([])
    const two = loadConfig({ ENCRYPTION_KEY_PREVIOUS: `${k1}, ${k2}` })
    expect(two.ok && two.config.previousEncryptionKeys).toEqual([k1, k2])
    const bad = loadConfig({ ENCRYPTION_KEY_PREVIOUS: `${k1},short-secret` })
    expect(bad.ok).toBe(false)
    if (!bad.ok) {
      expect(bad.message).toMatch(/^Invalid configuration: ENCRYPTION_KEY_PREVIOUS /)
      expect(bad.message).not.toContain('short-secret')
    }
  })

  it('keeps Meta webhook receipts 30 days by default, and at least 7', () => {
    const defaults = loadConfig({})
    expect(defaults.ok && defaults.config.meta.receiptRetentionMs).toBe(30 * 86_400_000)
    const set = loadConfig({ META_WEBHOOK_RECEIPT_RETENTION: '10d' })
    expect(set.ok && set.config.meta.receiptRetentionMs).toBe(10 * 86_400_000)
    for (const value of ['1d', 'forever']) {
      const bad = loadConfig({ META_WEBHOOK_RECEIPT_RETENTION: value })
      expect(bad.ok).toBe(false)
      if (!bad.ok) expect(bad.message).toMatch(/META_WEBHOOK_RECEIPT_RETENTION/)
    }
  })

  it('parses durations', () => {
    expect(parseDuration('1s')).toBe(1000)
    expect(parseDuration('250ms')).toBe(250)
    expect(parseDuration('2h')).toBe(7_200_000)
    expect(parseDuration('5d')).toBe(432_000_000)
    expect(parseDuration('5 minutes')).toBeNull()
  })
})

import { type DatabaseLocation, parseDatabaseUrl } from '@onboard/db'
import { z } from 'zod'

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Parses `500ms`, `5s`, `5m`, `2h`, `5d` into milliseconds. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim())
  if (!match?.[1] || !match[2]) return null
  return Math.round(Number(match[1]) * (UNITS[match[2]] ?? 0))
}

const duration = (name: string) =>
  z.string().transform((value, ctx) => {
    const ms = parseDuration(value)
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `${name} must look like 5s, 5m, 2h or 5d` })
      return z.NEVER
    }
    return ms
  })

const durationList = z.string().transform((value, ctx) => {
  const items = value.split(',').map((part) => parseDuration(part))
  if (items.length === 0 || items.some((ms) => ms === null)) {
    ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list like 5s,5m,30m' })
    return z.NEVER
  }
  return items as number[]
})

/** Deduplication of Meta's retries lasts as long as receipts are kept. */
const MIN_RECEIPT_RETENTION_MS = 7 * 86_400_000

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .default('./data/onboarding.db')
    .transform((value, ctx): DatabaseLocation => {
      try {
        return parseDatabaseUrl(value)
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message })
        return z.NEVER
      }
    }),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  ENCRYPTION_KEY: optionalText.refine(
    (v) => v === undefined || Buffer.from(v, 'base64').length === 32,
    'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
  ),
  ENCRYPTION_KEY_PREVIOUS: optionalText
    .transform((v) => (v === undefined ? [] : v.split(',').map((part) => part.trim())))
    .refine(
      (keys) => keys.every((key) => Buffer.from(key, 'base64').length === 32),
      'must be a comma-separated list of 32-byte base64 keys',
    ),
  META_APP_ID: optionalText,
  META_APP_SECRET: optionalText,
  META_CONFIG_ID: optionalText,
  META_SOLUTION_ID: optionalText,
  META_SYSTEM_USER_TOKEN: optionalText,
  META_WEBHOOK_VERIFY_TOKEN: optionalText,
  META_GRAPH_URL: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com'),
  META_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v25.0')
    .default('v25.0'),
  META_WEBHOOK_RECEIPT_RETENTION: duration('META_WEBHOOK_RECEIPT_RETENTION')
    .refine(
      (ms) => ms >= MIN_RECEIPT_RETENTION_MS,
      'must be at least 7d: Meta retries a delivery for days, and a retry is recognised only while its receipt is kept',
    )
    .prefault('30d'),
  WEBHOOK_RETRY_DELAYS: durationList.prefault('5s,5m,30m,2h,5h,10h,10h'),
  WEBHOOK_DISABLE_AFTER: duration('WEBHOOK_DISABLE_AFTER').prefault('5d'),
  WEBHOOK_TIMEOUT: duration('WEBHOOK_TIMEOUT').prefault('15s'),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: bool.default(false),
  WEBHOOK_QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -')
    .default('onboard'),
  // Behind a reverse proxy: the client's address is the last one X-Forwarded-For names.
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
})

interface MetaLiveConfig {
  appId: string
  appSecret: string
  configId: string
  solutionId: string | undefined
}

export interface Config {
  port: number
  /** Where a worker-only process serves /metrics and /healthz (the API serves them on `port`). */
  metricsPort: number
  publicBaseUrl: string
  /** DATABASE_URL as written (may hold a password: never print it). */
  databaseUrl: string
  database: DatabaseLocation
  redisUrl: string
  /** Base64 32-byte key; undefined means "use the generated local key" (see resolveEncryptionKey). */
  encryptionKey: string | undefined
  /** Base64 32-byte keys that only decrypt (ENCRYPTION_KEY_PREVIOUS), until `secrets reencrypt`. */
  previousEncryptionKeys: string[]
  production: boolean
  /** Take the client address from X-Forwarded-For (its last entry), for the console's sign-in limit. */
  trustProxy: boolean
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL']
  meta: {
    /** Present only when live-mode Embedded Signup is configured (app id, secret, config id). */
    live: MetaLiveConfig | undefined
    systemUserToken: string | undefined
    webhookVerifyToken: string | undefined
    graphUrl: string
    graphVersion: string
    /** How long processed Meta webhook receipts (and their dedup items) are kept. */
    receiptRetentionMs: number
  }
  webhooks: {
    retryDelaysMs: number[]
    disableAfterMs: number
    timeoutMs: number
    allowPrivateTargets: boolean
    /** Redis key prefix of the queues; every API and worker of one deployment must share it. */
    queuePrefix: string
  }
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string }

/**
 * Reads and validates the environment once, at start-up. On failure the message is one
 * line naming the variable and what is wrong, for the process to print before it exits.
 */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const name = String(issue?.path[0] ?? 'environment')
    const value = env[name]
    const shown =
      value === undefined || /SECRET|KEY|TOKEN|^DATABASE_URL$|^REDIS_URL$/.test(name)
        ? ''
        : ` (got "${value}")`
    return {
      ok: false,
      message: `Invalid configuration: ${name} ${issue?.message ?? 'is invalid'}${shown}`,
    }
  }
  const e = parsed.data
  const metaParts = [e.META_APP_ID, e.META_APP_SECRET, e.META_CONFIG_ID]
  const metaSet = metaParts.filter((v) => v !== undefined).length
  if (metaSet > 0 && metaSet < 3) {
    return {
      ok: false,
      message:
        'Invalid configuration: META_APP_ID, META_APP_SECRET and META_CONFIG_ID must be set together for live mode',
    }
  }
  const live =
    e.META_APP_ID && e.META_APP_SECRET && e.META_CONFIG_ID
      ? {
          appId: e.META_APP_ID,
          appSecret: e.META_APP_SECRET,
          configId: e.META_CONFIG_ID,
          solutionId: e.META_SOLUTION_ID,
        }
      : undefined
  return {
    ok: true,
    config: {
      port: e.PORT,
      metricsPort: e.METRICS_PORT,
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
      databaseUrl: env.DATABASE_URL ?? './data/onboarding.db',
      database: e.DATABASE_URL,
      redisUrl: e.REDIS_URL,
      encryptionKey: e.ENCRYPTION_KEY,
      previousEncryptionKeys: e.ENCRYPTION_KEY_PREVIOUS,
      production: e.NODE_ENV === 'production',
      trustProxy: e.TRUST_PROXY,
      logLevel: e.LOG_LEVEL,
      meta: {
        live,
        systemUserToken: e.META_SYSTEM_USER_TOKEN,
        webhookVerifyToken: e.META_WEBHOOK_VERIFY_TOKEN,
        graphUrl: e.META_GRAPH_URL.replace(/\/+$/, ''),
        graphVersion: e.META_GRAPH_VERSION,
        receiptRetentionMs: e.META_WEBHOOK_RECEIPT_RETENTION,
      },
      webhooks: {
        retryDelaysMs: e.WEBHOOK_RETRY_DELAYS,
        disableAfterMs: e.WEBHOOK_DISABLE_AFTER,
        timeoutMs: e.WEBHOOK_TIMEOUT,
        allowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
        queuePrefix: e.WEBHOOK_QUEUE_PREFIX,
      },
    },
  }
}

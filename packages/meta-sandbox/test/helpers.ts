import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createTestDatabase } from '@onboard/core/testing'
import { createMetaClient, type MetaClientOptions } from '@onboard/meta'
import { Hono } from 'hono'
import {
  createMetaSandbox,
  type MetaSandboxOptions,
  SANDBOX_APP_ID,
  type SignupResult,
} from '../src/index'

export const APP_ID = SANDBOX_APP_ID
/** Passed in, as a deployment passes its own derived secret. */
export const APP_SECRET = randomBytes(16).toString('hex')
/** Likewise the system-user token: a secret of the deployment, not a constant. */
export const SYSTEM_USER_TOKEN = `EAA${randomBytes(32).toString('base64url')}`

/** A clock tests move by hand, so 30-second expiry needs no sleeping. */
export function manualClock(start = Date.UTC(2026, 0, 15, 12)) {
  let now = start
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
  }
}

/**
 * Mounts the sandbox under `/__sandbox` in a parent app, as the API does, and serves it on an
 * ephemeral port, over a fresh migrated database of its own (SQLite, or PostgreSQL with
 * TEST_DATABASE=postgres).
 */
export async function startMountedSandbox(options: Partial<MetaSandboxOptions> = {}) {
  const clock = manualClock()
  const database = await createTestDatabase()
  const sandbox = createMetaSandbox({
    db: database.core.db,
    appId: APP_ID,
    appSecret: APP_SECRET,
    systemUserToken: SYSTEM_USER_TOKEN,
    basePath: '/__sandbox',
    now: clock.now,
    ...options,
  })
  const api = new Hono()
  api.route('/__sandbox', sandbox.app)
  const server = serve({ fetch: api.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  const base = `${origin}/__sandbox`
  return {
    origin,
    base,
    graphUrl: `${base}/graph`,
    state: sandbox.state,
    clock,
    client: (overrides: Partial<MetaClientOptions> = {}) =>
      createMetaClient({
        graphUrl: `${base}/graph`,
        graphVersion: 'v25.0',
        appId: APP_ID,
        appSecret: APP_SECRET,
        retryBaseDelayMs: 1,
        ...overrides,
      }),
    signup: (body: unknown) => postSignup(base, body),
    close: async () => {
      await new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections()
        server.close(() => resolve())
      })
      await database.close()
    },
  }
}

export type MountedSandbox = Awaited<ReturnType<typeof startMountedSandbox>>

export async function postSignup(base: string, body: unknown): Promise<SignupResult> {
  const res = await fetch(`${base}/signups`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.status !== 201) throw new Error(`POST /signups → ${res.status}: ${await res.text()}`)
  return (await res.json()) as SignupResult
}

/** Plays a scenario and exchanges its code, returning what onboarding would hold afterwards. */
export async function connectedSignup(sb: MountedSandbox, body: Record<string, unknown> = {}) {
  const result = await sb.signup({ scenario: 'success', ...body })
  const { accessToken } = await sb.client().exchangeCode(result.code ?? '')
  return { ...result, token: accessToken }
}

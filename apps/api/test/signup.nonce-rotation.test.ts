import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createOrganization, loadConfig, openCore } from '@onboard/core'
import type { SignupResult } from '@onboard/meta-sandbox'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type RunningProcess, runApiOnFreePort } from './support/processes'
import { readBody, readData, readError } from './support/responses'
import { callbackBody } from './support/signup'

// A hosted page lives up to 2 h (SIGNUP_NONCE_MAX_AGE_MS). A key rotation must not break the
// pages already open: their nonce was signed under the key of the moment, now a previous one.

const K1 = Buffer.alloc(32, 21).toString('base64')
const K2 = Buffer.alloc(32, 22).toString('base64')

describe('signup nonce across a key rotation', () => {
  let dir: string
  let file: string
  let running: RunningProcess | undefined
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nonce-rotation-'))
    file = join(dir, 'onboarding.db')
  })
  afterEach(async () => {
    await running?.stop()
    running = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  async function start(env: Record<string, string>) {
    const { api, port } = await runApiOnFreePort({
      DATABASE_URL: file,
      ...env,
    })
    running = api
    const base = `http://127.0.0.1:${port}`
    return {
      base,
      stop: async () => {
        await api.stop()
        running = undefined
      },
      /** A GET, or a POST of `init.body` as JSON. */
      call: (path: string, init: { key?: string; body?: unknown } = {}) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' }
        if (init.key) headers.authorization = `Bearer ${init.key}`
        return fetch(`${base}${path}`, {
          method: init.body === undefined ? 'GET' : 'POST',
          headers,
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        })
      },
      nonce: async (linkId: string) => {
        const html = await (await fetch(`${base}/signup/${linkId}`)).text()
        const config = /<script type="application\/json" id="signup-config">(.*?)<\/script>/s.exec(
          html,
        )
        return JSON.parse(config?.[1] ?? '{}').nonce as string
      },
    }
  }

  async function organizationKey(): Promise<string> {
    const loaded = loadConfig({ DATABASE_URL: file, ENCRYPTION_KEY: K1 })
    if (!loaded.ok) throw new Error(loaded.message)
    const opened = await openCore(loaded.config)
    try {
      return (await createOrganization(opened.core, { name: 'Acme' })).keys.test
    } finally {
      await opened.close()
    }
  }

  /** Creates a link and renders its page under K1, as a customer opened it before the rotation. */
  async function pageRenderedUnderK1(key: string) {
    const api = await start({ ENCRYPTION_KEY: K1 })
    const created = await api.call('/v1/onboarding-links', { key, body: { name: 'Acme' } })
    expect(created.status).toBe(201)
    const link = await readData(created, 'link')
    const nonce = await api.nonce(link.id)
    expect(nonce).toMatch(/^\d{13}\./)
    await api.stop()
    return { linkId: link.id, nonce }
  }

  async function finishSignup(
    api: Awaited<ReturnType<typeof start>>,
    linkId: string,
    nonce: string,
  ) {
    const played = await api.call('/__sandbox/signups', { body: { scenario: 'success' } })
    expect(played.status).toBe(201)
    const result = await readBody<SignupResult>(played)
    return api.call(`/signup/${linkId}/callback`, { body: callbackBody(nonce, result) })
  }

  it('accepts a page rendered under the previous key after a restart with ENCRYPTION_KEY_PREVIOUS', async () => {
    const key = await organizationKey()
    const { linkId, nonce } = await pageRenderedUnderK1(key)
    const api = await start({ ENCRYPTION_KEY: K2, ENCRYPTION_KEY_PREVIOUS: K1 })
    const callback = await finishSignup(api, linkId, nonce)
    expect(callback.status).toBe(200)
    expect((await readData(callback, 'signupOutcome')).status).toBe('success')
    const link = await readData(await api.call(`/v1/onboarding-links/${linkId}`, { key }), 'link')
    expect(link.status).toBe('completed')
  })

  it('refuses it once the previous key is gone, recording nothing', async () => {
    const key = await organizationKey()
    const { linkId, nonce } = await pageRenderedUnderK1(key)
    const api = await start({ ENCRYPTION_KEY: K2 })
    const callback = await finishSignup(api, linkId, nonce)
    expect((await readError(callback, 403)).code).toBe('invalid_nonce')
    const link = await readData(await api.call(`/v1/onboarding-links/${linkId}`, { key }), 'link')
    expect(link.status).toBe('pending')
  })
})

import { metaWebhooks } from '@onboard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConsoleClient, signedInClient } from './support/console'
import { startTestApi, type TestApi } from './support/harness'
import { readData } from './support/responses'
import { emitMetaWebhook, emittedReceiptId } from './support/sessions'
import { completeWith, createLink } from './support/signup'

/** Completes a link through the sandbox; returns the link as the API reads it afterwards. */
async function connectPhone(
  api: TestApi,
  key: string,
  health: 'AVAILABLE' | 'LIMITED' | 'BLOCKED',
) {
  const link = await createLink(api, key, { name: `Store ${health}` })
  await completeWith(api, link.id, 'success', { health })
  const res = await api.request(`/v1/onboarding-links/${link.id}`, { key })
  const read = await readData(res, 'link')
  const { phoneNumberId, wabaId } = read
  if (phoneNumberId === null || wabaId === null) throw new Error(`link ${read.id} is not connected`)
  return { ...read, phoneNumberId, wabaId }
}

/** Meta's webhook about a phone, sent by the sandbox to our callback and processed. */
async function receiveInbound(api: TestApi, key: string, metaPhoneNumberId: string) {
  const res = await emitMetaWebhook(api, key, {
    kind: 'inbound_text',
    phoneNumberId: metaPhoneNumberId,
  })
  if (res.status !== 200) throw new Error(`emit: ${res.status} ${await res.text()}`)
  const receiptId = await emittedReceiptId(res)
  await metaWebhooks.processReceipt(api.core, receiptId)
  return receiptId
}

/** Requests the Meta sandbox (our Graph in tests) has served, from the API's own metrics. */
async function sandboxRequests(api: TestApi): Promise<number> {
  const text = await (await api.request('/metrics')).text()
  const lines = text
    .split('\n')
    .filter((line) => /^\w+_http_request_duration_seconds_count\{/.test(line))
    .filter((line) => line.includes('route="/__sandbox/*"'))
  // Connecting a number already went through the sandbox: none counted means a wrong reading.
  if (lines.length === 0) throw new Error('no sandbox requests in /metrics')
  return lines.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
}

describe('console: numbers and WABAs', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi()
  })
  afterAll(() => api.close())

  it('lists each phone with its health and issues (with Meta’s suggested solution), and the WABAs', async () => {
    const { client, user } = await signedInClient(api)
    const ready = await connectPhone(api, user.keys.test, 'AVAILABLE')
    const limited = await connectPhone(api, user.keys.test, 'LIMITED')
    const blocked = await connectPhone(api, user.keys.test, 'BLOCKED')
    // Each number's page checks with Meta and stores the answer the list then shows.
    for (const link of [ready, limited, blocked]) {
      expect((await client.get(`/console/numbers/${link.phoneNumberId}`)).response.status).toBe(200)
    }
    const { response, html } = await client.get('/console/numbers')
    expect(response.status).toBe(200)
    for (const link of [ready, limited, blocked]) {
      expect(html).toContain(`href="/console/numbers/${link.phoneNumberId}"`)
      expect(html).toContain(`href="/console/wabas/${link.wabaId}"`)
    }
    expect(html).toContain('status-ready">Ready<')
    expect(html).toContain('status-limited">Limited<')
    expect(html).toContain('status-not_ready">Not ready<')
    expect(html).toContain('Meta suggests: There was an error with your payment method.')
    expect(html).toContain('3 WABAs')

    // The phone's page: the health in full and the number's facts.
    const phone = await client.get(`/console/numbers/${blocked.phoneNumberId}`)
    expect(phone.response.status).toBe(200)
    expect(phone.html).toContain('Not ready')
    expect(phone.html).toContain('(Meta error 141006)')
    expect(phone.html).toContain('Meta suggests: There was an error with your payment method.')
    expect(phone.html).toMatch(/<dt>Can send messages<\/dt><dd>no<\/dd>/)
    expect(phone.html).toContain(`href="/console/links/${blocked.id}"`)

    // A WABA's connection details and its numbers.
    const waba = await client.get(`/console/wabas/${ready.wabaId}`)
    expect(waba.response.status).toBe(200)
    expect(waba.html).toContain('<dt>Meta WABA ID</dt>')
    expect(waba.html).toContain('subscribed')
    expect(waba.html).toContain(`href="/console/numbers/${ready.phoneNumberId}"`)
  })

  it('lists numbers from their stored health without calling Meta; a number’s page checks live', async () => {
    const { client, user } = await signedInClient(api)
    const phones = [
      await connectPhone(api, user.keys.test, 'BLOCKED'),
      await connectPhone(api, user.keys.test, 'AVAILABLE'),
    ]
    const before = await sandboxRequests(api)
    const list = await client.get('/console/numbers')
    expect(list.response.status).toBe(200)
    expect(await sandboxRequests(api)).toBe(before)
    expect(list.html).toContain('Not checked with Meta yet')

    const page = await client.get(`/console/numbers/${phones[0]?.phoneNumberId}`)
    expect(page.html).toContain('(Meta error 141006)')
    const checked = await sandboxRequests(api)
    expect(checked).toBeGreaterThan(before)
    // The list shows the answer the page stored, still without asking Meta.
    const again = await client.get('/console/numbers')
    expect(await sandboxRequests(api)).toBe(checked)
    expect(again.html).toContain('Meta suggests: There was an error with your payment method.')
    expect(again.html).toContain('Not checked with Meta yet')
  })

  it('says so when nothing is connected yet', async () => {
    const { client } = await signedInClient(api)
    const { html } = await client.get('/console/numbers')
    expect(html).toContain('No numbers connected yet.')
    expect(html).toContain('No WABAs connected yet.')
  })

  it('answers 404 for another organisation’s phone and WABA, and for the other mode', async () => {
    const { client } = await signedInClient(api)
    const { user: victim } = await signedInClient(api)
    const theirs = await connectPhone(api, victim.keys.test, 'AVAILABLE')
    for (const path of [
      `/console/numbers/${theirs.phoneNumberId}`,
      `/console/wabas/${theirs.wabaId}`,
    ]) {
      const { response, html } = await client.get(path)
      expect(response.status, path).toBe(404)
      expect(html).not.toContain('Store AVAILABLE')
    }
    expect((await client.get('/console/numbers')).html).not.toContain(theirs.phoneNumberId)
    const { client: owner } = await signedInClient(api, {
      organizationId: victim.organizationId,
      keys: victim.keys,
    })
    expect((await owner.get(`/console/numbers/${theirs.phoneNumberId}`)).response.status).toBe(200)
    await owner.get('/console/numbers')
    await owner.post('/console/mode', { mode: 'live' })
    expect((await owner.get(`/console/numbers/${theirs.phoneNumberId}`)).response.status).toBe(404)
    expect((await owner.get(`/console/wabas/${theirs.wabaId}`)).response.status).toBe(404)
    expect((await owner.get('/console/numbers')).html).not.toContain(theirs.phoneNumberId)
  })

  it('sends the numbers pages to sign-in without a session, showing no data', async () => {
    const { user } = await signedInClient(api)
    const link = await connectPhone(api, user.keys.test, 'AVAILABLE')
    const anonymous = new ConsoleClient(api)
    for (const path of [
      '/console/numbers',
      `/console/numbers/${link.phoneNumberId}`,
      `/console/wabas/${link.wabaId}`,
    ]) {
      const { response, html } = await anonymous.get(path)
      expect(response.status, path).toBe(303)
      expect(html).not.toContain(link.phoneNumberId)
    }
  })
})

describe('console: Meta’s inbound webhooks', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi()
  })
  afterAll(() => api.close())

  it('lists the receipts about this organisation’s numbers with what each became, and no one else’s', async () => {
    const { client, user } = await signedInClient(api)
    const { user: other } = await signedInClient(api)
    const mine = await connectPhone(api, user.keys.test, 'AVAILABLE')
    const theirs = await connectPhone(api, other.keys.test, 'AVAILABLE')
    const metaIdOf = async (key: string, phoneId: string) =>
      (await readData(await api.request(`/v1/phones/${phoneId}`, { key }), 'phoneDetail'))
        .metaPhoneNumberId
    const myReceipt = await receiveInbound(
      api,
      user.keys.test,
      await metaIdOf(user.keys.test, mine.phoneNumberId),
    )
    const theirReceipt = await receiveInbound(
      api,
      other.keys.test,
      await metaIdOf(other.keys.test, theirs.phoneNumberId),
    )
    const { response, html } = await client.get('/console/meta-receipts')
    expect(response.status).toBe(200)
    expect(html).toContain(myReceipt)
    expect(html).not.toContain(theirReceipt)
    expect(html).toContain('<code>messages</code>: 1 message, 0 statuses')
    expect(html).toMatch(/<td>1 event<\/td>/)
    // The other mode has none.
    await client.post('/console/mode', { mode: 'live' })
    expect((await client.get('/console/meta-receipts')).html).not.toContain(myReceipt)
  })

  it('shows only this organisation’s part of a receipt that also carried someone else’s entry', async () => {
    const { client, user } = await signedInClient(api)
    const mine = await connectPhone(api, user.keys.test, 'AVAILABLE')
    const phone = await readData(
      await api.request(`/v1/phones/${mine.phoneNumberId}`, { key: user.keys.test }),
      'phoneDetail',
    )
    const change = (phoneNumberId: string, messageId: string) => ({
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
        messages: [
          {
            id: messageId,
            from: '16505551234',
            timestamp: '1700000000',
            type: 'text',
            text: { body: 'hi' },
          },
        ],
      },
    })
    // Meta batches: our number's message, and one for a number no organisation here has.
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        { id: phone.metaWabaId, changes: [change(phone.metaPhoneNumberId, 'wamid.MIXED-1')] },
        { id: '999000111222', changes: [change('888000111222', 'wamid.MIXED-2')] },
      ],
    })
    const stored = await metaWebhooks.storeReceipt(api.core, { mode: 'test', body })
    await metaWebhooks.processReceipt(api.core, stored.receiptId)
    const { html } = await client.get('/console/meta-receipts')
    const row = html.slice(html.indexOf(stored.receiptId))
    expect(row).toContain('<code>messages</code>: 1 message, 0 statuses<br>')
    expect(row.split('</tr>')[0]).toContain('processed (shared with other accounts)')
    // The note about the other number (its Meta id) is not shown.
    expect(html).not.toContain('888000111222')
    expect(html).not.toContain('999000111222')
  })
})

describe('console: Meta’s receipts after a WABA changed hands', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi()
  })
  afterAll(() => api.close())

  /** Connects the sandbox's one shared WABA (and number) to the key's organisation. */
  async function connectShared(key: string) {
    const link = await createLink(api, key)
    const { res } = await completeWith(api, link.id, 'success', { sharedWaba: true })
    expect(res.status).toBe(200)
    const linkRead = await readData(
      await api.request(`/v1/onboarding-links/${link.id}`, { key }),
      'link',
    )
    return readData(
      await api.request(`/v1/phones/${linkRead.phoneNumberId}`, { key }),
      'phoneDetail',
    )
  }

  it('the former owner sees none of the new owner’s receipts, and each keeps its own', async () => {
    const { client: formerClient, user: former } = await signedInClient(api)
    const { client: newClient, user: current } = await signedInClient(api)
    const first = await connectShared(former.keys.test)
    const formerReceipt = await receiveInbound(api, former.keys.test, first.metaPhoneNumberId)

    // The WABA leaves the former owner (what PARTNER_REMOVED does to our rows)...
    await api.core.db
      .updateTable('wabas')
      .set({ status: 'disconnected' })
      .where('organization_id', '=', former.organizationId)
      .execute()
    // ...and another organisation connects it: the same Meta WABA and number ids.
    const second = await connectShared(current.keys.test)
    expect(second.metaPhoneNumberId).toBe(first.metaPhoneNumberId)
    const newReceipt = await receiveInbound(api, current.keys.test, second.metaPhoneNumberId)

    const formerPage = (await formerClient.get('/console/meta-receipts')).html
    expect(formerPage).toContain(formerReceipt)
    expect(formerPage).not.toContain(newReceipt)
    const newPage = (await newClient.get('/console/meta-receipts')).html
    expect(newPage).toContain(newReceipt)
    expect(newPage).not.toContain(formerReceipt)
  })

  it('finds a receipt that names the number as a bare JSON number', async () => {
    const { client, user } = await signedInClient(api)
    await api.core.db.updateTable('wabas').set({ status: 'disconnected' }).execute()
    const phone = await connectShared(user.keys.test)
    const body = `{"object":"whatsapp_business_account","entry":[{"id":${phone.metaWabaId},"changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000000","phone_number_id":${phone.metaPhoneNumberId}},"messages":[{"id":"wamid.BARE-1","from":"16505551234","timestamp":"1700000000","type":"text","text":{"body":"hi"}}]}}]}]}`
    const stored = await metaWebhooks.storeReceipt(api.core, { mode: 'test', body })
    expect((await metaWebhooks.processReceipt(api.core, stored.receiptId)).eventsRecorded).toBe(1)
    const { html } = await client.get('/console/meta-receipts')
    expect(html).toContain(stored.receiptId)
    expect(html).toContain('<code>messages</code>: 1 message, 0 statuses')
  })
})

describe('console: API keys', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi()
  })
  afterAll(() => api.close())

  const keyOnPage = (html: string) => /<code id="new-key">(sk_org_\w+)<\/code>/.exec(html)?.[1]

  it('creates a key shown once that opens the API; revoking it removes it and the API refuses it', async () => {
    const { client, user } = await signedInClient(api)
    const list = await client.get('/console/api-keys')
    expect(list.html).toContain(`…${user.keys.test.slice(-4)}`)
    expect(list.html).not.toContain(`…${user.keys.live.slice(-4)}`)
    const created = await client.post('/console/api-keys')
    expect(created.response.status).toBe(201)
    const key = keyOnPage(created.html) as string
    expect(key).toMatch(/^sk_org_test_/)
    expect(created.html).toContain('shown this once')
    expect((await api.request('/v1/onboarding-links', { key })).status).toBe(200)
    const again = await client.get('/console/api-keys')
    expect(again.html).not.toContain(key)
    expect(again.html).toContain(`…${key.slice(-4)}`)

    const keyId = new RegExp(
      `id="key-(key_[0-9A-Za-z]+)"><code>sk_org_test_…${key.slice(-4)}`,
    ).exec(again.html)?.[1]
    expect(keyId).toBeDefined()
    const revoked = await client.post(`/console/api-keys/${keyId}/revoke`)
    expect(revoked.response.status).toBe(303)
    const after = await client.get(revoked.response.headers.get('location') ?? '')
    expect(after.html).toContain(`The key ending in <code>${key.slice(-4)}</code> was revoked`)
    expect(after.html).not.toContain(`id="key-${keyId}"`)
    expect((await api.request('/v1/onboarding-links', { key })).status).toBe(401)
    // The other key still works.
    expect((await api.request('/v1/onboarding-links', { key: user.keys.test })).status).toBe(200)
  })

  it('makes keys of the selected mode, recording who made each', async () => {
    const { client, user } = await signedInClient(api)
    const test = await client.post('/console/api-keys')
    expect(keyOnPage(test.html)).toMatch(/^sk_org_test_/)
    // The organisation's first key was not made in the console; this one was, by this user.
    const rows = (await client.get('/console/api-keys')).html.split('<tr>').slice(2)
    expect(rows).toHaveLength(2)
    expect(rows[0]).toContain('<td>not the console</td>')
    expect(rows[1]).toContain(`<td>${user.email}</td>`)

    await client.post('/console/mode', { mode: 'live' })
    await client.get('/console/api-keys')
    const created = await client.post('/console/api-keys', { password: user.password })
    expect(created.response.status).toBe(201)
    expect(keyOnPage(created.html)).toMatch(/^sk_org_live_/)
    expect(created.html).toContain(`<td>${user.email}</td>`)
  })

  it('makes a live key only with the user’s password again; a wrong or missing one makes none', async () => {
    const { client, user } = await signedInClient(api)
    await client.get('/console/api-keys')
    await client.post('/console/mode', { mode: 'live' })
    const page = (await client.get('/console/api-keys')).html
    expect(page).toContain('name="password"')
    const keyCount = async () =>
      (await client.get('/console/api-keys')).html.match(/id="key-/g)?.length ?? 0
    const before = await keyCount()
    for (const password of ['wrong-password', '']) {
      const refused = await client.post('/console/api-keys', { password })
      expect(refused.response.status, password).toBe(401)
      expect(refused.html).toContain('The password is not right: no key was made.')
      expect(refused.html).toContain('aria-invalid="true"')
      expect(keyOnPage(refused.html)).toBeUndefined()
    }
    const missing = await client.post('/console/api-keys')
    expect(missing.response.status).toBe(401)
    expect(await keyCount()).toBe(before)
    // Another user's password (even of this organisation) is not this user's.
    const { user: colleague } = await signedInClient(api, {
      organizationId: user.organizationId,
      keys: user.keys,
    })
    expect(
      (await client.post('/console/api-keys', { password: colleague.password })).response.status,
    ).toBe(401)
    expect(await keyCount()).toBe(before)
    const made = await client.post('/console/api-keys', { password: user.password })
    expect(made.response.status).toBe(201)
    expect(await keyCount()).toBe(before + 1)
  })

  it('allows five password attempts for live keys per 15 minutes; then even the right one is refused (429)', async () => {
    const { client, user } = await signedInClient(api)
    await client.get('/console/api-keys')
    await client.post('/console/mode', { mode: 'live' })
    await client.get('/console/api-keys')
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () => client.post('/console/api-keys', { password: 'wrong' })),
    )
    // At most five were checked (which ones depends on how the attempts interleave).
    const statuses = attempts.map((attempt) => attempt.response.status)
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5)
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(3)
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true)
    const blocked = await client.post('/console/api-keys', { password: user.password })
    expect(blocked.response.status).toBe(429)
    expect(blocked.html).toContain('Too many password attempts')
    expect(keyOnPage(blocked.html)).toBeUndefined()
  })

  it('answers 404 to revoking another organisation’s key, or one of the other mode, and it keeps working', async () => {
    const { client } = await signedInClient(api)
    const { user: victim } = await signedInClient(api)
    const { client: owner } = await signedInClient(api, {
      organizationId: victim.organizationId,
      keys: victim.keys,
    })
    const page = (await owner.get('/console/api-keys')).html
    const victimKeyId = /id="key-(key_[0-9A-Za-z]+)"/.exec(page)?.[1] as string
    await client.get('/console/api-keys')
    const attack = await client.post(`/console/api-keys/${victimKeyId}/revoke`)
    expect(attack.response.status).toBe(404)
    await owner.post('/console/mode', { mode: 'live' })
    expect((await owner.post(`/console/api-keys/${victimKeyId}/revoke`)).response.status).toBe(404)
    expect((await api.request('/v1/onboarding-links', { key: victim.keys.test })).status).toBe(200)
  })

  it('refuses creating or revoking without the CSRF token (403), and shows no key without a session', async () => {
    const { client, user } = await signedInClient(api)
    const page = (await client.get('/console/api-keys')).html
    const keyId = /id="key-(key_[0-9A-Za-z]+)"/.exec(page)?.[1] as string
    const create = await client.post('/console/api-keys', {}, { csrf: null })
    expect(create.response.status).toBe(403)
    expect(create.html).not.toContain('sk_org_')
    expect(
      (await client.post(`/console/api-keys/${keyId}/revoke`, {}, { csrf: null })).response.status,
    ).toBe(403)
    expect((await api.request('/v1/onboarding-links', { key: user.keys.test })).status).toBe(200)
    // Only the original key exists: the refused create made none.
    expect((await client.get('/console/api-keys')).html.match(/id="key-/g)).toHaveLength(1)
    const anonymous = new ConsoleClient(api)
    const { response, html } = await anonymous.get('/console/api-keys')
    expect(response.status).toBe(303)
    expect(html).not.toContain(user.keys.test.slice(-4))
    expect((await anonymous.post('/console/api-keys', {}, { csrf: 'x' })).html).not.toContain(
      'sk_org_',
    )
  })
})

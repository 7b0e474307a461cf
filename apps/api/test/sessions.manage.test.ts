import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError, readJson, readList, shapes } from './support/responses'
import {
  createSession,
  finishWithExpiredCode,
  readSession,
  receiveInstall,
  SESSIONS,
} from './support/sessions'
import { completeWith, playSandbox } from './support/signup'

describe('managing sessions: list, filter, get, delete, complete', () => {
  const api = useTestApi()
  const org = useOrganization(api, { scope: 'test' })

  const request = (query = '', key = org.test) => api.request(`${SESSIONS}${query}`, { key })
  /** A page of sessions, after checking that the list answered 200. */
  const list = async (query = '', key = org.test) => {
    const res = await request(query, key)
    expect(res.status).toBe(200)
    return readList(res, 'session')
  }

  it('lists newest first with pagination', async () => {
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      api.database.setNow(new Date(Date.UTC(2026, 0, 1, 12, i)))
      ids.push((await createSession(api, org.test, { state: `s${i}` })).id)
    }
    api.database.setNow(new Date(Date.UTC(2026, 0, 1, 12, 5)))
    try {
      const first = await list('?limit=2')
      expect(first.data.map((s) => s.id)).toEqual([ids[2], ids[1]])
      expect(first.pagination).toEqual({ page: 1, limit: 2, total: 3, hasMore: true })
      const second = await list('?limit=2&page=2')
      expect(second.data.map((s) => s.id)).toEqual([ids[0]])
      expect(second.pagination.hasMore).toBe(false)
      expect((await request('?limit=0')).status).toBe(400)
      expect((await request('?limit=101')).status).toBe(400)
      // Other organisations' and modes' sessions never show.
      expect((await list('', org.live)).pagination.total).toBe(0)
    } finally {
      api.database.setNow(new Date())
    }
  })

  it('filters by metadata values and by status', async () => {
    const a = await createSession(api, org.test, {
      metadata: { externalUserId: 'user_123', plan: 'pro', seats: 5 },
    })
    const b = await createSession(api, org.test, { metadata: { externalUserId: 'user_456' } })
    await createSession(api, org.test)
    await completeWith(api, b.id, 'success')

    const byUser = await list('?metadata[externalUserId]=user_123')
    expect(byUser.data.map((s) => s.id)).toEqual([a.id])
    expect(byUser.pagination.total).toBe(1)
    const encoded = await list('?metadata%5BexternalUserId%5D=user_456')
    expect(encoded.data.map((s) => s.id)).toEqual([b.id])
    const both = await list('?metadata[externalUserId]=user_123&metadata[plan]=pro')
    expect(both.data).toHaveLength(1)
    const mismatch = await list('?metadata[externalUserId]=user_123&metadata[plan]=free')
    expect(mismatch.data).toHaveLength(0)
    expect((await list('?metadata[seats]=5')).data).toHaveLength(1)
    expect((await list('?metadata[externalUserId]=nobody')).data).toHaveLength(0)

    expect((await list('?status=completed')).data.map((s) => s.id)).toEqual([b.id])
    expect((await list('?status=pending')).pagination.total).toBe(2)
    expect((await request('?status=bogus')).status).toBe(400)
  })

  it('refuses metadata filter keys that could become SQL or JSON-path syntax', async () => {
    await createSession(api, org.test, { metadata: { externalUserId: 'user_123' } })
    for (const key of ['a"b', "a') or 1=1 --", 'a.b', '$', 'a[0]', '', 'x'.repeat(65)]) {
      const res = await request(`?metadata[${encodeURIComponent(key)}]=user_123`)
      expect(res.status, key).toBe(400)
      const error = await readError(res)
      expect(error.code).toBe('validation_error')
      expect(error.details?.[0]?.field).toBe(`metadata[${key}]`)
    }
    const many = Array.from({ length: 6 }, (_, i) => `metadata[k${i}]=v`).join('&')
    expect((await request(`?${many}`)).status).toBe(400)
    expect((await request(`?metadata[a]=${'v'.repeat(513)}`)).status).toBe(400)
    // The table is untouched and the value is bound, so quotes in it are just text.
    expect((await list("?metadata[externalUserId]=x' or '1'='1")).data).toHaveLength(0)
    expect((await list()).pagination.total).toBe(1)
  })

  it('GET shows a pending session whole, and a malformed or unknown id is a 404', async () => {
    const created = await createSession(api, org.test, {
      redirect_uri: 'myapp://whatsapp/callback',
      state: 'st',
      metadata: { externalUserId: 'u1' },
      prefill: { business: { name: 'Acme' } },
    })
    expect(await readSession(api, org.test, created.id)).toEqual({
      id: created.id,
      status: 'pending',
      url: created.url,
      redirect_uri: 'myapp://whatsapp/callback',
      state: 'st',
      metadata: { externalUserId: 'u1' },
      prefill: { business: { name: 'Acme' } },
      expires_at: created.expires_at,
      created_at: expect.any(String),
      completed_at: null,
      completed_via: null,
      error: null,
      waba_id: null,
      meta_waba_id: null,
      business_profile_id: null,
      phone_numbers: [],
      meta_install: null,
    })
    expect((await api.request(`${SESSIONS}/wss_missing`, { key: org.test })).status).toBe(404)
    expect((await api.request(`${SESSIONS}/not-a-session`, { key: org.test })).status).toBe(400)
  })

  it('DELETE deletes a session in any status: GET and its page are then 404', async () => {
    const pending = await createSession(api, org.test)
    const other = await api.createOrganization('Other')
    const hidden = await api.request(`${SESSIONS}/${pending.id}`, {
      method: 'DELETE',
      key: other.test,
    })
    expect(hidden.status).toBe(404)
    // Nor through the same organisation's other mode.
    const otherMode = await api.request(`${SESSIONS}/${pending.id}`, {
      method: 'DELETE',
      key: org.live,
    })
    expect(otherMode.status).toBe(404)
    expect((await readSession(api, org.test, pending.id)).status).toBe('pending')

    const res = await api.request(`${SESSIONS}/${pending.id}`, { method: 'DELETE', key: org.test })
    expect(res.status).toBe(204)
    expect((await api.request(`${SESSIONS}/${pending.id}`, { key: org.test })).status).toBe(404)
    expect((await api.request(`/signup/${pending.id}`)).status).toBe(404)
    expect((await list()).pagination.total).toBe(0)
    const again = await api.request(`${SESSIONS}/${pending.id}`, {
      method: 'DELETE',
      key: org.test,
    })
    expect(again.status).toBe(404)

    // A completed session goes too; the WABA and phone it connected stay the organisation's.
    const done = await createSession(api, org.test)
    await completeWith(api, done.id, 'success')
    const completed = await readSession(api, org.test, done.id)
    const deleted = await api.request(`${SESSIONS}/${done.id}`, { method: 'DELETE', key: org.test })
    expect(deleted.status).toBe(204)
    expect((await api.request(`${SESSIONS}/${done.id}`, { key: org.test })).status).toBe(404)
    const waba = await api.request(`/v1/wabas/${completed.waba_id}`, { key: org.test })
    expect(waba.status).toBe(200)
    const phone = await api.request(`/v1/phones/${completed.phone_numbers[0]?.id}`, {
      key: org.test,
    })
    expect(phone.status).toBe(200)
  })

  describe('POST …/sessions/:id/complete {wabaId}', () => {
    const complete = (id: string, wabaId: string, key = org.test) =>
      api.request(`${SESSIONS}/${id}/complete`, { method: 'POST', key, json: { wabaId } })

    it('completes an expired session from a WABA finished on Meta’s side, through the sandbox', async () => {
      const session = await createSession(api, org.test, { metadata: { externalUserId: 'u7' } })
      // The end-user finished on Meta's side; the redirect never came back, Meta's install did.
      const meta = await playSandbox(api, 'success')
      await receiveInstall(api, org.test, meta.wabaId ?? '')
      api.database.setNow(new Date(Date.parse(session.expires_at) + 60_000))
      try {
        expect((await readSession(api, org.test, session.id)).status).toBe('expired')
        const res = await complete(session.id, meta.wabaId ?? '')
        expect(res.status).toBe(200)
        const got = await readJson(res, shapes.session)
        expect(got).toMatchObject({
          status: 'completed',
          completed_via: 'manual',
          meta_waba_id: meta.wabaId,
          phone_numbers: [{ meta_phone_number_id: meta.phoneNumberId, is_registered: true }],
        })
        // The same end state as the page: registered with a PIN, subscribed, ready to message.
        const phoneId = got.phone_numbers[0]?.id
        const phone = await readData(
          await api.request(`/v1/phones/${phoneId}`, { key: org.test }),
          'phoneDetail',
        )
        expect(phone).toMatchObject({ isRegistered: true, status: 'CONNECTED' })
        const health = await readData(
          await api.request(`/v1/phones/${phoneId}/health`, { key: org.test }),
          'phoneHealth',
        )
        expect(health.capabilities).toMatchObject({
          canSendMessages: true,
          isRegistered: true,
          isWebhookSubscribed: true,
        })
        const event = await api.core.db
          .selectFrom('events')
          .select('payload')
          .where('organization_id', '=', org.id)
          .executeTakeFirstOrThrow()
        expect(JSON.parse(event.payload).data).toMatchObject({
          signupSessionId: session.id,
          metadata: { externalUserId: 'u7' },
          isPhoneRegistered: true,
        })
        // One-time use holds for manual completion too.
        const again = await complete(session.id, meta.wabaId ?? '')
        expect((await readError(again, 409)).code).toBe('session_already_completed')
      } finally {
        api.database.setNow(new Date())
      }
    })

    it('shows what Meta’s PARTNER_APP_INSTALLED webhook said about the WABA', async () => {
      const session = await createSession(api, org.test)
      const meta = await playSandbox(api, 'success')
      const at = new Date().toISOString()
      await api.core.db
        .insertInto('meta_waba_installs')
        .values({
          mode: 'test',
          meta_waba_id: meta.wabaId ?? '',
          status: 'installed',
          last_event: 'PARTNER_APP_INSTALLED',
          event_time: at,
          owner_business_id: meta.businessId ?? null,
          partner_app_id: null,
          solution_id: null,
          disconnection_reason: null,
          installed_at: at,
          removed_at: null,
          receipt_id: 'mwr_test',
          updated_at: at,
        })
        .execute()
      const res = await complete(session.id, meta.wabaId ?? '')
      expect(res.status).toBe(200)
      expect((await readJson(res, shapes.session)).meta_install).toEqual({
        status: 'installed',
        last_event: 'PARTNER_APP_INSTALLED',
        installed_at: at,
        event_time: at,
      })
    })

    it('recovers a failed session, and refuses deleted ones and WABAs already connected', async () => {
      const failed = await createSession(api, org.test)
      const { result: meta } = await completeWith(api, failed.id, 'success', { expiredCode: true })
      expect((await readSession(api, org.test, failed.id)).status).toBe('failed')
      // The FINISH the page received is recorded even though the code could not be used.
      const recovered = await complete(failed.id, meta.wabaId ?? '')
      expect(recovered.status).toBe(200)
      expect((await readJson(recovered, shapes.session)).error).toBeNull()

      // Another session whose page received the same FINISH: the WABA already has its owner.
      const other = await createSession(api, org.test)
      await finishWithExpiredCode(api, other.id, meta)
      const twice = await complete(other.id, meta.wabaId ?? '')
      expect((await readError(twice, 409)).code).toBe('waba_already_connected')

      const deleted = await createSession(api, org.test)
      await api.request(`${SESSIONS}/${deleted.id}`, { method: 'DELETE', key: org.test })
      const refused = await complete(deleted.id, meta.wabaId ?? '')
      expect(refused.status).toBe(404)
    })

    it('a WABA the platform cannot read is a 422; a bad body is a 400', async () => {
      const session = await createSession(api, org.test)
      const bad = await complete(session.id, 'abc')
      expect((await readError(bad, 400)).details?.[0]?.field).toBe('wabaId')
      expect((await readSession(api, org.test, session.id)).status).toBe('pending')
      // The page received a FINISH naming a WABA that Meta then does not let us read.
      const meta = await playSandbox(api, 'success')
      const unreadable = { ...meta, event: { ...meta.event, data: { waba_id: '100000000000009' } } }
      await finishWithExpiredCode(api, session.id, unreadable)
      const unknown = await complete(session.id, '100000000000009')
      expect((await readError(unknown, 422)).code).toBe('waba_not_accessible')
      expect((await readSession(api, org.test, session.id)).status).toBe('failed')
    })
  })
})

describe('POST …/complete in live mode', () => {
  const api = useTestApi({
    env: { META_APP_ID: '1', META_APP_SECRET: 'secret', META_CONFIG_ID: '2' },
  })
  const org = useOrganization(api)

  it('says clearly that META_SYSTEM_USER_TOKEN is needed when it is unset', async () => {
    const session = await createSession(api, org.live)
    const res = await api.request(`${SESSIONS}/${session.id}/complete`, {
      method: 'POST',
      key: org.live,
      json: { wabaId: '123456789' },
    })
    const error = await readError(res, 503)
    expect(error.code).toBe('system_user_token_not_configured')
    expect(error.message).toContain('META_SYSTEM_USER_TOKEN')
  })
})

import { metaWebhooks } from '@onboard/core'
import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError, readJson, readList, shapes } from './support/responses'
import {
  completeSessionManually,
  createSession,
  emitMetaWebhook,
  emittedReceiptId,
  finishWithExpiredCode,
  PROFILE_CALLBACK,
  readSession,
  receiveAccountUpdate,
  receiveInstall,
} from './support/sessions'
import { completeWith, createLink, playSandbox } from './support/signup'

// Issue 13 §1: Meta WABA ids are not secrets, so no organisation may take another's account,
// by manual completion, by a page callback or by the popup flow; Meta's webhooks about a
// number reach its one owner.

type Org = { id: string; test: string; live: string }

describe('one owner per WhatsApp Business Account', () => {
  const api = useTestApi()
  const a = useOrganization(api, { name: 'Attacker', scope: 'test' })
  const b = useOrganization(api, { name: 'Victim', scope: 'test' })

  const wabasOf = async (org: Org) =>
    (await readList(await api.request('/v1/wabas', { key: org.test }), 'waba')).data
  const phonesOf = async (org: Org) =>
    (await readList(await api.request('/v1/phones', { key: org.test }), 'phone')).data

  /** B connects a WABA through its own session's page and returns Meta's ids of it. */
  const bConnects = async () => {
    const session = await createSession(api, b.test)
    const { res, result } = await completeWith(api, session.id, 'success')
    expect(res.status).toBe(200)
    return { wabaId: result.wabaId ?? '', phoneNumberId: result.phoneNumberId ?? '' }
  }

  it('refuses /complete with another organisation’s WABA id; inbound messages reach only the owner', async () => {
    const victim = await bConnects()
    const endpoints = {} as Record<string, string>
    for (const [name, org] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const res = await api.request('/v1/outgoing-webhooks', {
        method: 'POST',
        key: org.test,
        json: { url: `http://127.0.0.1:9/${name}`, events: ['message.received'] },
      })
      endpoints[name] = (await readData(res, 'endpoint')).id
    }

    const session = await createSession(api, a.test)
    const res = await completeSessionManually(api, a.test, session.id, victim.wabaId)
    expect((await readError(res, 422)).code).toBe('waba_not_from_this_signup')
    expect(await wabasOf(a)).toEqual([])
    expect(await phonesOf(a)).toEqual([])
    expect((await readSession(api, a.test, session.id)).status).toBe('pending')

    // A message to B's number becomes one event, for B, delivered to B's endpoint only.
    const emitted = await emitMetaWebhook(api, b.test, {
      kind: 'inbound_text',
      phoneNumberId: victim.phoneNumberId,
      messageId: `wamid.${session.id}`,
    })
    const receiptId = await emittedReceiptId(emitted)
    expect((await metaWebhooks.processReceipt(api.core, receiptId)).eventsRecorded).toBe(1)
    const deliveries = await api.core.db
      .selectFrom('webhook_deliveries')
      .select(['organization_id', 'endpoint_id'])
      .where('event_type', '=', 'message.received')
      .where('organization_id', 'in', [a.id, b.id])
      .execute()
    expect(deliveries).toEqual([{ organization_id: b.id, endpoint_id: endpoints.b }])
  })

  it('page callbacks and the business-profile callback refuse a WABA another organisation holds (409)', async () => {
    const link = await createLink(api, b.test)
    expect((await completeWith(api, link.id, 'success', { sharedWaba: true })).res.status).toBe(200)

    const aSession = await createSession(api, a.test, { state: 's' })
    const viaSession = await completeWith(api, aSession.id, 'success', { sharedWaba: true })
    expect(viaSession.res.status).toBe(409)
    expect(viaSession.body.error.code).toBe('waba_already_connected')
    expect(new URL(viaSession.body.redirectUrl).searchParams.get('error')).toBe(
      'waba_already_connected',
    )

    const aLink = await createLink(api, a.test)
    const viaLink = await completeWith(api, aLink.id, 'success', { sharedWaba: true })
    expect(viaLink.res.status).toBe(409)
    expect(viaLink.body.error.code).toBe('waba_already_connected')

    const popup = await playSandbox(api, 'success', { sharedWaba: true })
    const viaProfile = await api.request(PROFILE_CALLBACK, {
      method: 'POST',
      key: a.test,
      json: { code: popup.code, wabaId: popup.wabaId },
    })
    expect((await readError(viaProfile, 409)).code).toBe('waba_already_connected')

    // Even the FINISH A's own page received is no way around the owner.
    const recorded = await createSession(api, a.test)
    await finishWithExpiredCode(api, recorded.id, popup)
    const manual = await completeSessionManually(api, a.test, recorded.id, popup.wabaId)
    expect((await readError(manual, 409)).code).toBe('waba_already_connected')

    expect(await wabasOf(a)).toEqual([])
    expect(await wabasOf(b)).toHaveLength(1)
  })

  it('completes manually with the WABA this session’s page received in Meta’s FINISH', async () => {
    const session = await createSession(api, a.test)
    const meta = await playSandbox(api, 'success', { phoneNumberCount: 2 })
    await finishWithExpiredCode(api, session.id, meta)
    expect((await readSession(api, a.test, session.id)).status).toBe('failed')

    const res = await completeSessionManually(api, a.test, session.id, meta.wabaId)
    expect(res.status).toBe(200)
    const got = await readJson(res, shapes.session)
    expect(got).toMatchObject({ status: 'completed', completed_via: 'manual' })
    // The number the FINISH named, registered like the page would.
    const chosen = got.phone_numbers.find((p) => p.meta_phone_number_id === meta.phoneNumberId)
    expect(chosen?.is_registered).toBe(true)
  })

  it('completes manually with a PARTNER_APP_INSTALLED received after the session, and claims it', async () => {
    const session = await createSession(api, a.test)
    const meta = await playSandbox(api, 'success')
    await receiveInstall(api, a.test, meta.wabaId ?? '')
    const res = await completeSessionManually(api, a.test, session.id, meta.wabaId)
    expect(res.status).toBe(200)
    const install = await api.core.db
      .selectFrom('meta_waba_installs')
      .select('claimed_by')
      .where('meta_waba_id', '=', meta.wabaId ?? '')
      .executeTakeFirstOrThrow()
    expect(install.claimed_by).toBe(session.id)
  })

  it('refuses an install received before the session was created', async () => {
    const meta = await playSandbox(api, 'success')
    await receiveInstall(api, b.test, meta.wabaId ?? '')
    api.database.setNow(new Date(Date.now() + 60_000))
    try {
      const session = await createSession(api, a.test)
      const res = await completeSessionManually(api, a.test, session.id, meta.wabaId)
      expect((await readError(res, 422)).code).toBe('waba_installed_before_session')
      expect(await wabasOf(a)).toEqual([])
    } finally {
      api.database.setNow(new Date())
    }
  })

  it('refuses a FINISH naming a WABA whose install came before the session or that another sign-up claimed', async () => {
    // Another organisation's end-user installed our app on this WABA; their sign-up is not
    // finished yet. A's own page can be made to post a FINISH naming it: the browser's word
    // does not outrank Meta's record of the install.
    const meta = await playSandbox(api, 'success')
    await receiveInstall(api, b.test, meta.wabaId ?? '')
    api.database.setNow(new Date(Date.now() + 60_000))
    try {
      const session = await createSession(api, a.test)
      await finishWithExpiredCode(api, session.id, meta)
      const res = await completeSessionManually(api, a.test, session.id, meta.wabaId)
      expect((await readError(res, 422)).code).toBe('waba_installed_before_session')
      expect(await wabasOf(a)).toEqual([])
    } finally {
      api.database.setNow(new Date())
    }

    const bSession = await createSession(api, b.test)
    const aSession = await createSession(api, a.test)
    const later = await playSandbox(api, 'success')
    await receiveInstall(api, b.test, later.wabaId ?? '')
    expect((await completeSessionManually(api, b.test, bSession.id, later.wabaId)).status).toBe(200)
    // B's completion claimed the install; it stays claimed after B lets the WABA go.
    await api.core.db
      .updateTable('wabas')
      .set({ status: 'disconnected' })
      .where('meta_waba_id', '=', later.wabaId ?? '')
      .execute()
    await finishWithExpiredCode(api, aSession.id, later)
    const res = await completeSessionManually(api, a.test, aSession.id, later.wabaId)
    expect((await readError(res, 409)).code).toBe('waba_install_already_claimed')
  })

  it('refuses an install another session already claimed', async () => {
    const bSession = await createSession(api, b.test)
    const aSession = await createSession(api, a.test)
    const meta = await playSandbox(api, 'success')
    await receiveInstall(api, b.test, meta.wabaId ?? '')
    expect((await completeSessionManually(api, b.test, bSession.id, meta.wabaId)).status).toBe(200)
    const res = await completeSessionManually(api, a.test, aSession.id, meta.wabaId)
    expect((await readError(res, 409)).code).toBe('waba_install_already_claimed')
    expect(await wabasOf(a)).toEqual([])
  })

  it('an old session cannot use an install that came after it expired (review: a month-old session took B’s WABA)', async () => {
    api.database.setNow(new Date(Date.now() - 30 * 24 * 3600_000))
    let stale: Awaited<ReturnType<typeof createSession>>
    try {
      stale = await createSession(api, a.test)
    } finally {
      api.database.setNow(new Date())
    }
    const bSession = await createSession(api, b.test)
    const meta = await playSandbox(api, 'success')
    await receiveInstall(api, b.test, meta.wabaId ?? '')
    await finishWithExpiredCode(api, bSession.id, meta)

    const res = await completeSessionManually(api, a.test, stale.id, meta.wabaId)
    expect((await readError(res, 422)).code).toBe('waba_installed_after_session')
    expect(await wabasOf(a)).toEqual([])
    expect((await completeSessionManually(api, b.test, bSession.id, meta.wabaId)).status).toBe(200)
  })

  it('install-only evidence gives way to the sign-up whose page received Meta’s FINISH for the WABA', async () => {
    const aSession = await createSession(api, a.test)
    const bSession = await createSession(api, b.test)
    const meta = await playSandbox(api, 'success')
    await receiveInstall(api, b.test, meta.wabaId ?? '')
    await finishWithExpiredCode(api, bSession.id, meta)

    const res = await completeSessionManually(api, a.test, aSession.id, meta.wabaId)
    expect((await readError(res, 409)).code).toBe('waba_finished_in_another_signup')
    expect(await wabasOf(a)).toEqual([])
    expect((await completeSessionManually(api, b.test, bSession.id, meta.wabaId)).status).toBe(200)
  })

  it('a FINISH is no evidence for a WABA whose install Meta says was removed since', async () => {
    const session = await createSession(api, a.test)
    const meta = await playSandbox(api, 'success')
    await finishWithExpiredCode(api, session.id, meta)
    await receiveInstall(api, a.test, meta.wabaId ?? '')
    await receiveAccountUpdate(api, a.test, 'partner_app_uninstalled', meta.wabaId ?? '')

    const res = await completeSessionManually(api, a.test, session.id, meta.wabaId)
    expect((await readError(res, 409)).code).toBe('waba_uninstalled')
    expect(await wabasOf(a)).toEqual([])
  })

  it('of two organisations racing to complete with one WABA, exactly one commits', async () => {
    const meta = await playSandbox(api, 'success')
    const sessions = [await createSession(api, a.test), await createSession(api, b.test)]
    for (const session of sessions) await finishWithExpiredCode(api, session.id, meta)
    const replies = await Promise.all([
      completeSessionManually(api, a.test, sessions[0]?.id ?? '', meta.wabaId),
      completeSessionManually(api, b.test, sessions[1]?.id ?? '', meta.wabaId),
    ])
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409])
    const holders = await api.core.db
      .selectFrom('wabas')
      .select('organization_id')
      .where('meta_waba_id', '=', meta.wabaId ?? '')
      .where('status', '=', 'connected')
      .execute()
    expect(holders).toHaveLength(1)
  })

  it('the sandbox emits Meta webhooks only with a test key, and never about another organisation’s account', async () => {
    const victim = await bConnects()
    const receipts = async () =>
      (await api.core.db.selectFrom('meta_webhook_receipts').select('id').execute()).length
    const before = await receipts()
    const removal = { kind: 'partner_removed', wabaId: victim.wabaId }

    const anonymous = await emitMetaWebhook(api, null, removal)
    expect((await readError(anonymous, 401)).code).toBe('unauthorized')
    const live = await emitMetaWebhook(api, a.live, removal)
    expect((await readError(live, 403)).code).toBe('test_key_required')

    // Another organisation's WABA or number is unknown to A, whatever A sends about it.
    for (const body of [
      removal,
      { kind: 'partner_app_uninstalled', wabaId: victim.wabaId },
      { kind: 'inbound_text', phoneNumberId: victim.phoneNumberId },
      { kind: 'quality_update', phoneNumberId: victim.phoneNumberId },
    ]) {
      const res = await emitMetaWebhook(api, a.test, body)
      expect((await readError(res, 404)).code).toBe('not_found')
    }
    expect(await receipts()).toBe(before)
    const [waba] = await wabasOf(b)
    expect(waba?.status).toBe('connected')

    // The owner may; so may anyone for an account no organisation holds yet (a fresh sign-up).
    const own = await emitMetaWebhook(api, b.test, {
      kind: 'inbound_text',
      phoneNumberId: victim.phoneNumberId,
    })
    expect(own.status).toBe(200)
    const fresh = await playSandbox(api, 'success')
    const install = await emitMetaWebhook(api, a.test, {
      kind: 'partner_app_installed',
      wabaId: fresh.wabaId,
    })
    expect(install.status).toBe(200)
    expect(await receipts()).toBe(before + 2)
  })

  it('after registration the phone reads as Meta reports it: CONNECTED on the Cloud API', async () => {
    const session = await createSession(api, a.test)
    expect((await completeWith(api, session.id, 'success')).res.status).toBe(200)
    const [phone] = await phonesOf(a)
    expect(phone).toMatchObject({
      isRegistered: true,
      status: 'CONNECTED',
      platformType: 'CLOUD_API',
    })
  })
})

import { metaWebhooks, signupCompletion } from '@onboard/core'
import type { SignupResult } from '@onboard/meta-sandbox'
import { Webhook } from 'standardwebhooks'
import { beforeEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../../workers/webhooks/test/support/receiver'
import {
  type TestOrganization,
  useOrganization,
  useReceiver,
  useTestApi,
  useTestWorkers,
} from './support/fixture'
import type { TestApi } from './support/harness'
import { readData } from './support/responses'
import { callbackBody, createLink, pageConfig, playSandbox, postCallback } from './support/signup'

/**
 * No lost sign-ups: the hosted page reports Meta's FINISH the moment it arrives; when no
 * callback follows (the tab closed, the code exchange failed), Meta's PARTNER_APP_INSTALLED
 * for that WABA, processed by the worker, completes the link through the system-user token.
 */
/** What the tests of this file share, over one API and organisation. */
function signupHelpers(api: TestApi, org: TestOrganization, customerUrl: () => string) {
  /** A link whose own webhook is the customer's receiver, and that webhook's secret. */
  const linkWithWebhook = async (key = org.test) => {
    const link = await createLink(api, key, {
      webhookUrl: customerUrl(),
      webhookEvents: ['phone_number.connected'],
    })
    if (!link.webhookSecret) throw new Error('the link came without its webhook secret')
    return { link, secret: link.webhookSecret }
  }

  /** What a page's script posts for a FINISH naming these ids (a real one, or made up). */
  const reportFinishNaming = async (
    linkId: string,
    finish: { event: string; wabaId?: string; phoneNumberId?: string; businessId?: string },
  ) => {
    const { nonce } = await pageConfig(api, linkId)
    const res = await api.request(`/signup/${linkId}/activity`, {
      method: 'POST',
      json: { nonce, kind: 'meta_result', attempt: 1, result: finish },
    })
    expect(res.status).toBe(200)
  }

  /** What the page's script posts when Meta's FINISH message arrives. */
  const reportFinish = (linkId: string, result: SignupResult) => {
    const data = result.event.data
    return reportFinishNaming(linkId, {
      event: result.event.event,
      wabaId: data.waba_id,
      phoneNumberId: data.phone_number_id,
      businessId: data.business_id,
    })
  }

  /** Meta's PARTNER_APP_INSTALLED for the WABA, signed by the sandbox, to our /webhooks/meta. */
  const install = async (metaWabaId: string | null | undefined, key = org.test) => {
    if (!metaWabaId) throw new Error('the signup named no WABA')
    const res = await api.request('/__sandbox/webhooks/emit', {
      method: 'POST',
      key,
      json: {
        target: `${api.url}/webhooks/meta`,
        kind: 'partner_app_installed',
        wabaId: metaWabaId,
      },
    })
    expect(res.status).toBe(200)
  }

  /**
   * What the worker does with Meta's receipts, run here so the test knows when it is over:
   * each pending receipt processed, then its installs handed to the sign-up completion.
   */
  const processReceipts = async () => {
    const pending = await api.core.db
      .selectFrom('meta_webhook_receipts')
      .select('id')
      .where('status', '=', 'pending')
      .execute()
    const completions: signupCompletion.UnattendedCompletion[] = []
    for (const { id } of pending) {
      const processed = await metaWebhooks.processReceipt(api.core, id)
      if (!processed.mode) continue
      const input = { mode: processed.mode, metaWabaIds: processed.installedWabaIds }
      completions.push(
        ...(await signupCompletion.completeLinksForInstalls(api.core, api.metaApps, input)),
      )
    }
    return completions
  }

  /** One tick of the worker's sign-up sweeper, run here. */
  const sweep = () => signupCompletion.completeAwaitingLinks(api.core, api.metaApps)

  const linkOf = async (id: string, key = org.test) =>
    readData(await api.request(`/v1/onboarding-links/${id}`, { key }), 'link')

  const linkRow = (id: string) =>
    api.core.db
      .selectFrom('onboarding_links')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()

  const connectedEvents = () =>
    api.core.db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'phone_number.connected')
      .execute()

  /** Moves the clock past the time the page's own callback may still be running. */
  const pastPageGrace = () => api.database.setNow(new Date())

  // Each test starts a little more than the page's grace ago, so that moving on to the real
  // present passes it: a clock moved into the future would delay the deliveries it records.
  beforeEach(() =>
    api.database.setNow(new Date(Date.now() - signupCompletion.PAGE_CALLBACK_GRACE_MS - 5000)),
  )

  return {
    linkWithWebhook,
    reportFinish,
    reportFinishNaming,
    install,
    processReceipts,
    sweep,
    linkOf,
    linkRow,
    connectedEvents,
    pastPageGrace,
  }
}

describe('a sign-up completes from Meta’s install when its page never called back', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })
  useTestWorkers(api, { scope: 'test' })
  const customer = useReceiver(undefined, { scope: 'test' })
  const { linkWithWebhook, reportFinish, install, linkOf, connectedEvents, pastPageGrace, sweep } =
    signupHelpers(api, org, () => customer.url)

  const receiptsProcessed = () =>
    waitFor('every Meta receipt to be processed', async () => {
      const pending = await api.core.db
        .selectFrom('meta_webhook_receipts')
        .select('id')
        .where('status', '=', 'pending')
        .execute()
      return pending.length === 0
    })

  const completed = (id: string) =>
    waitFor('the link to complete', async () => (await linkOf(id)).status === 'completed')

  it('FINISH reported, no callback, then the install: the link completes, the phone is connected, the customer hears it signed', async () => {
    const { link, secret } = await linkWithWebhook()
    const result = await playSandbox(api, 'success')
    await reportFinish(link.id, result)
    pastPageGrace()
    await install(result.event.data.waba_id)

    await completed(link.id)
    const done = await linkOf(link.id)
    expect(done.phoneNumber).toMatch(/^\+\d+$/)
    expect(done.isPhoneRegistered).toBe(true)
    const phone = await api.request(`/v1/phones/${done.phoneNumberId}`, { key: org.test })
    expect(phone.status).toBe(200)

    await waitFor('the link’s webhook to receive phone_number.connected', () =>
      customer.requests.some((r) => r.body.includes('phone_number.connected')),
    )
    const request = customer.requests.find((r) => r.body.includes('phone_number.connected'))
    const payload = new Webhook(secret).verify(request?.body ?? '', request?.headers ?? {})
    expect(payload).toMatchObject({
      event: 'phone_number.connected',
      data: {
        onboardingLinkId: link.id,
        externalId: link.externalId,
        phoneNumberId: done.phoneNumberId,
        wabaId: done.wabaId,
        metaWabaId: result.event.data.waba_id,
        isPhoneRegistered: true,
      },
    })
    expect(await connectedEvents()).toHaveLength(1)
    // The install is used up by this link, as the page's completion would have claimed it.
    const installRow = await api.core.db
      .selectFrom('meta_waba_installs')
      .select('claimed_by')
      .executeTakeFirstOrThrow()
    expect(installRow.claimed_by).toBe(link.id)
  })

  it('the install first, the FINISH after: the sweeper completes the link', async () => {
    const { link } = await linkWithWebhook()
    const result = await playSandbox(api, 'success')
    await install(result.event.data.waba_id)
    await receiptsProcessed()
    await reportFinish(link.id, result)
    pastPageGrace()

    await completed(link.id)
    expect(await connectedEvents()).toHaveLength(1)
  })

  it('the callback failed at the code exchange after the FINISH: the install completes the link', async () => {
    const { link } = await linkWithWebhook()
    const { nonce } = await pageConfig(api, link.id)
    const result = await playSandbox(api, 'success', { expiredCode: true })
    const failed = await postCallback(api, link.id, callbackBody(nonce, result))
    expect(failed.status).toBe(400)
    expect((await linkOf(link.id)).status).toBe('pending')
    pastPageGrace()
    await install(result.event.data.waba_id)

    await completed(link.id)
    expect(await connectedEvents()).toHaveLength(1)
  })

  it('the page’s callback and the install at the same moment: one connection, one event', async () => {
    const { link } = await linkWithWebhook()
    const { nonce } = await pageConfig(api, link.id)
    const result = await playSandbox(api, 'success')
    await reportFinish(link.id, result)
    await install(result.event.data.waba_id)
    await receiptsProcessed()
    pastPageGrace()

    // The worker's own sweeper runs beside these two: three may race, one completes.
    const [callback, swept] = await Promise.all([
      postCallback(api, link.id, callbackBody(nonce, result)),
      sweep(),
    ])
    await completed(link.id)
    expect([200, 409]).toContain(callback.status)
    expect(swept.filter((c) => c.outcome === 'failed')).toEqual([])
    expect(await connectedEvents()).toHaveLength(1)
    const phones = await api.core.db.selectFrom('phone_numbers').select('id').execute()
    expect(phones).toHaveLength(1)
    const wabas = await api.core.db.selectFrom('wabas').select('id').execute()
    expect(wabas).toHaveLength(1)
  })
})

describe('a sign-up does not complete from an install the evidence rules refuse', () => {
  // No worker here: the test processes the receipts itself, so it knows when they are done.
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })
  const {
    linkWithWebhook,
    reportFinish,
    reportFinishNaming,
    install,
    processReceipts,
    sweep,
    linkOf,
    linkRow,
    connectedEvents,
    pastPageGrace,
  } = signupHelpers(api, org, () => 'http://127.0.0.1:9/hook')

  it('the page’s FINISH report keeps its ids on the link (the latest wins); other answers keep none', async () => {
    const { link } = await linkWithWebhook()
    const { nonce } = await pageConfig(api, link.id)
    const finishOf = async () =>
      api.core.db
        .selectFrom('onboarding_links')
        .select(['finish_meta_waba_id', 'finish_meta_phone_number_id', 'finish_meta_business_id'])
        .where('id', '=', link.id)
        .executeTakeFirstOrThrow()
    const report = (attempt: number, result: Record<string, string>) =>
      api.request(`/signup/${link.id}/activity`, {
        method: 'POST',
        json: { nonce, kind: 'meta_result', attempt, result },
      })

    expect((await report(1, { event: 'CANCEL', wabaId: '111', step: 'WABA' })).status).toBe(200)
    expect((await finishOf()).finish_meta_waba_id).toBeNull()
    const bad = await report(1, { event: 'FINISH', wabaId: 'not-an-id' })
    expect(bad.status).toBe(400)
    expect((await finishOf()).finish_meta_waba_id).toBeNull()

    await report(1, { event: 'FINISH', wabaId: '222', phoneNumberId: '333', businessId: '444' })
    await report(2, { event: 'FINISH_ONLY_WABA', wabaId: '555' })
    expect(await finishOf()).toEqual({
      finish_meta_waba_id: '555',
      finish_meta_phone_number_id: null,
      finish_meta_business_id: null,
    })
    // The timeline keeps what Meta answered, not the ids.
    const details = await api.core.db
      .selectFrom('link_activity')
      .select('detail')
      .where('onboarding_link_id', '=', link.id)
      .execute()
    expect(details.map((d) => d.detail).join()).not.toMatch(/222|555/)
  })

  it('within the page’s grace the link is left to its own callback; after it, the install completes it', async () => {
    const { link } = await linkWithWebhook()
    const result = await playSandbox(api, 'success')
    await reportFinish(link.id, result)
    await install(result.event.data.waba_id)

    expect(await processReceipts()).toEqual([])
    expect(await sweep()).toEqual([])
    expect((await linkOf(link.id)).status).toBe('pending')
    pastPageGrace()
    expect((await sweep()).map((c) => c.outcome)).toEqual(['completed'])
    expect((await linkOf(link.id)).status).toBe('completed')
  })

  it('the receipt’s hand-off completes a link whose FINISH is past the grace', async () => {
    const { link } = await linkWithWebhook()
    const result = await playSandbox(api, 'success')
    await reportFinish(link.id, result)
    pastPageGrace()
    await install(result.event.data.waba_id)

    expect(await processReceipts()).toMatchObject([{ linkId: link.id, outcome: 'completed' }])
    expect(await connectedEvents()).toHaveLength(1)
  })

  it('no completion for a WABA another organisation holds', async () => {
    const other = await api.createOrganization('Other')
    const { link: theirs } = await linkWithWebhook(other.test)
    const result = await playSandbox(api, 'success')
    const { nonce } = await pageConfig(api, theirs.id)
    const connected = await postCallback(api, theirs.id, callbackBody(nonce, result))
    expect(connected.status).toBe(200)

    const { link: mine } = await linkWithWebhook()
    await reportFinish(mine.id, result)
    pastPageGrace()
    // Meta's repeated install for the WABA the other organisation now holds.
    await install(result.event.data.waba_id, other.test)
    expect(await processReceipts()).toEqual([])
    expect(await sweep()).toEqual([])
    expect((await linkOf(mine.id)).status).toBe('pending')
    expect(await connectedEvents()).toHaveLength(1)
  })

  it('no completion from an install that came before the link was created', async () => {
    const result = await playSandbox(api, 'success')
    await install(result.event.data.waba_id)
    expect(await processReceipts()).toEqual([])
    // The link is created a full second after the install's (whole-second) time.
    const created = Date.now() + 2000
    api.database.setNow(new Date(created))
    const { link } = await linkWithWebhook()
    await reportFinish(link.id, result)
    api.database.setNow(new Date(created + signupCompletion.PAGE_CALLBACK_GRACE_MS + 1000))

    const swept = await sweep()
    expect(swept).toEqual([])
    expect((await linkOf(link.id)).status).toBe('pending')
  })

  it('a coexistence FINISH whose tab closed completes as coexistence: the number is not registered', async () => {
    const link = await createLink(api, org.test, { allowCoexistence: true })
    const result = await playSandbox(api, 'coexistence')
    await reportFinish(link.id, result)
    pastPageGrace()
    await install(result.event.data.waba_id)

    expect((await processReceipts()).map((c) => c.outcome)).toEqual(['completed'])
    const phoneId = result.sandbox.phoneNumberIds[0]
    if (!phoneId) throw new Error('the sandbox issued no phone')
    // As the page's callback does (signup.callback.test.ts): never registered, stored as coexistence.
    expect((await api.sandbox.state.phone(phoneId))?.registerCalls).toEqual([])
    const phone = await readData(
      await api.request(`/v1/phones/${(await linkOf(link.id)).phoneNumberId}`, { key: org.test }),
      'phoneDetail',
    )
    expect(phone).toMatchObject({ isCoexistence: true, metaPhoneNumberId: phoneId })
  })

  it('an expired link’s FINISH does not hold back a later link of the same WABA', async () => {
    api.database.setNow(new Date(Date.now() - 3 * 3600_000))
    const first = await createLink(api, org.test, { expiresInSeconds: 900 })
    const result = await playSandbox(api, 'success')
    // The first try: Meta finished, the code exchange failed, the link then expired unused.
    await reportFinish(first.id, result)

    // Hours later a new link for the same customer, whose tab closes after Meta's FINISH.
    api.database.setNow(new Date(Date.now() - signupCompletion.PAGE_CALLBACK_GRACE_MS - 5000))
    const second = await createLink(api, org.test)
    await reportFinish(second.id, result)
    pastPageGrace()
    await install(result.event.data.waba_id)

    expect(await processReceipts()).toMatchObject([{ linkId: second.id, outcome: 'completed' }])
    expect((await linkOf(second.id)).status).toBe('completed')
  })

  it('a try Meta refuses for good (a WABA-only FINISH: no phone) is not retried on later ticks', async () => {
    const link = await createLink(api, org.test)
    const result = await playSandbox(api, 'only-waba')
    await reportFinish(link.id, result)
    pastPageGrace()
    await install(result.event.data.waba_id)

    expect((await processReceipts()).map((c) => [c.linkId, c.outcome])).toEqual([
      [link.id, 'failed'],
    ])
    // Nothing changed on Meta's side: later ticks do not call Graph for it again.
    expect(await sweep()).toEqual([])
    expect((await linkOf(link.id)).status).toBe('pending')
  })

  it('links the sweep cannot complete do not starve another organisation’s', async () => {
    const start = Date.now() - signupCompletion.PAGE_CALLBACK_GRACE_MS - 60_000
    api.database.setNow(new Date(start))
    const attacker = await api.createOrganization('Attacker')
    // More parked links than one sweep reads: installs of made-up WABAs the sandbox never
    // issued (Graph cannot read them), each named by a link's made-up FINISH.
    for (let index = 0; index < 25; index++) {
      const madeUpWaba = `90000000000${String(index).padStart(3, '0')}`
      const parked = await createLink(api, attacker.test)
      await install(madeUpWaba, attacker.test)
      await reportFinishNaming(parked.id, { event: 'FINISH', wabaId: madeUpWaba })
    }
    await processReceipts()

    api.database.setNow(new Date(start + 30_000))
    const link = await createLink(api, org.test)
    const result = await playSandbox(api, 'success')
    await install(result.event.data.waba_id)
    await processReceipts()
    await reportFinish(link.id, result)
    pastPageGrace()

    // Two ticks of the worker's sweeper: the parked links are tried once, then wait.
    await sweep()
    await sweep()
    expect((await linkOf(link.id)).status).toBe('completed')
  })

  it('a WABA held before is not completed on a page’s word: its former holder knows its id', async () => {
    const other = await api.createOrganization('Former holder')
    const { link: theirs } = await linkWithWebhook(other.test)
    const result = await playSandbox(api, 'success')
    const { nonce } = await pageConfig(api, theirs.id)
    expect((await postCallback(api, theirs.id, callbackBody(nonce, result))).status).toBe(200)
    const metaWabaId = result.event.data.waba_id
    // Meta reports the WABA's owner took it away from the former holder.
    const removed = await api.request('/__sandbox/webhooks/emit', {
      method: 'POST',
      key: other.test,
      json: { target: `${api.url}/webhooks/meta`, kind: 'partner_removed', wabaId: metaWabaId },
    })
    expect(removed.status).toBe(200)
    await processReceipts()

    // A page names that WABA as its owner installs the app again.
    const { link: mine } = await linkWithWebhook()
    await reportFinish(mine.id, result)
    pastPageGrace()
    await install(metaWabaId)
    expect(await processReceipts()).toEqual([])
    expect(await sweep()).toEqual([])
    expect((await linkOf(mine.id)).status).toBe('pending')
  })

  it('naming the same WABA again does not move its FINISH’s time; a fourth WABA is not kept', async () => {
    const link = await createLink(api, org.test)
    await reportFinishNaming(link.id, { event: 'FINISH', wabaId: '100000000000001' })
    const first = await linkRow(link.id)
    api.database.setNow(new Date(Date.now() - 60_000))
    await reportFinishNaming(link.id, { event: 'FINISH', wabaId: '100000000000001' })
    expect(await linkRow(link.id)).toMatchObject({
      finish_received_at: first.finish_received_at,
      finish_changes: 1,
    })
    await reportFinishNaming(link.id, { event: 'FINISH', wabaId: '100000000000002' })
    await reportFinishNaming(link.id, { event: 'FINISH', wabaId: '100000000000003' })
    await reportFinishNaming(link.id, { event: 'FINISH', wabaId: '100000000000004' })
    expect(await linkRow(link.id)).toMatchObject({
      finish_meta_waba_id: '100000000000003',
      finish_changes: 3,
    })
  })

  it('no completion when the FINISH is not near Meta’s install (a page naming a WABA installed long before)', async () => {
    const { link } = await linkWithWebhook()
    const result = await playSandbox(api, 'success')
    await install(result.event.data.waba_id)
    expect(await processReceipts()).toEqual([])
    // The page names that WABA a minute longer after Meta installed our app on it than a
    // sign-up's FINISH and install can be apart.
    const reportedAt = Date.now() + signupCompletion.INSTALL_NEAR_FINISH_MS + 60_000
    api.database.setNow(new Date(reportedAt))
    await reportFinish(link.id, result)
    api.database.setNow(new Date(reportedAt + signupCompletion.PAGE_CALLBACK_GRACE_MS + 1000))

    expect(await sweep()).toEqual([])
    expect(await processReceipts()).toEqual([])
    expect((await linkOf(link.id)).status).toBe('pending')
    expect(await connectedEvents()).toHaveLength(0)
  })

  it('no completion when another organisation’s page named the same WABA, for either of them', async () => {
    const other = await api.createOrganization('Other')
    const { link: theirs } = await linkWithWebhook(other.test)
    const { link: mine } = await linkWithWebhook()
    const result = await playSandbox(api, 'success')
    await reportFinish(mine.id, result)
    await reportFinish(theirs.id, result)
    pastPageGrace()
    await install(result.event.data.waba_id)

    expect(await processReceipts()).toEqual([])
    expect(await sweep()).toEqual([])
    expect((await linkOf(mine.id)).status).toBe('pending')
    expect((await linkOf(theirs.id, other.test)).status).toBe('pending')
    expect(await connectedEvents()).toHaveLength(0)
  })

  it('no completion for an expired link', async () => {
    const { link } = await linkWithWebhook()
    const result = await playSandbox(api, 'success')
    await reportFinish(link.id, result)
    await install(result.event.data.waba_id)
    expect(await processReceipts()).toEqual([])
    api.database.setNow(new Date(Date.parse(link.expiresAt) + 1000))

    expect(await sweep()).toEqual([])
    expect((await linkOf(link.id)).status).toBe('expired')
    expect(await connectedEvents()).toHaveLength(0)
  })
})

describe('a sign-up completes from Meta’s install only in its own mode', () => {
  const api = useTestApi({
    env: { META_APP_ID: '1234567890', META_APP_SECRET: 'live-secret', META_CONFIG_ID: '987654321' },
  })
  const org = useOrganization(api)
  const { reportFinish, install, processReceipts, sweep, pastPageGrace } = signupHelpers(
    api,
    org,
    () => 'http://127.0.0.1:9/hook',
  )

  it('a live link’s FINISH is not completed by a test-mode (sandbox-signed) install', async () => {
    const link = await createLink(api, org.live)
    const result = await playSandbox(api, 'success')
    await reportFinish(link.id, result)
    const row = await api.core.db
      .selectFrom('onboarding_links')
      .select('finish_meta_waba_id')
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow()
    expect(row.finish_meta_waba_id).toBe(result.event.data.waba_id)
    pastPageGrace()
    await install(result.event.data.waba_id)

    expect(await processReceipts()).toEqual([])
    expect(await sweep()).toEqual([])
    const read = await api.request(`/v1/onboarding-links/${link.id}`, { key: org.live })
    expect((await readData(read, 'link')).status).toBe('pending')
  })
})

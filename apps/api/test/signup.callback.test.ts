import { SANDBOX_REGISTER_FAILURE_CODE, SANDBOX_SHARED_WABA_ID } from '@onboard/meta-sandbox'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { useOrganization, useTestApi } from './support/fixture'
import type { TestApi } from './support/harness'
import { readData, readError, readJson } from './support/responses'
import {
  callbackBody,
  completeWith,
  createLink,
  pageConfig,
  playSandbox,
  postCallback,
} from './support/signup'

const count = async (api: TestApi, table: 'wabas' | 'phone_numbers' | 'events') =>
  Number(
    (
      await api.core.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

const linkRow = (api: TestApi, id: string) =>
  api.core.db
    .selectFrom('onboarding_links')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()

describe('signup callback', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  it('completes once when two callbacks race for one link', async () => {
    const link = await createLink(api, org.test, { redirectUrl: 'https://myapp.com/cb' })
    const { nonce } = await pageConfig(api, link.id)
    const [a, b] = await Promise.all([playSandbox(api, 'success'), playSandbox(api, 'success')])
    const replies = await Promise.all([
      postCallback(api, link.id, callbackBody(nonce, a)),
      postCallback(api, link.id, callbackBody(nonce, b)),
    ])
    const statuses = replies.map((r) => r.status).sort()
    expect(statuses).toEqual([200, 409])
    const refused = await readError(replies.find((r) => r.status === 409)!)
    expect(refused.code).toBe('link_already_completed')
    expect(await count(api, 'wabas')).toBe(1)
    expect(await count(api, 'phone_numbers')).toBe(1)
    expect(await count(api, 'events')).toBe(1)
    expect((await linkRow(api, link.id)).status).toBe('completed')
  })

  it('creates nothing for a callback on a completed link', async () => {
    const link = await createLink(api, org.test)
    const { nonce } = await pageConfig(api, link.id)
    const first = await postCallback(
      api,
      link.id,
      callbackBody(nonce, await playSandbox(api, 'success')),
    )
    expect(first.status).toBe(200)
    const before = await linkRow(api, link.id)
    const again = await postCallback(
      api,
      link.id,
      callbackBody(nonce, await playSandbox(api, 'success')),
    )
    expect((await readError(again, 409)).code).toBe('link_already_completed')
    expect(await count(api, 'wabas')).toBe(1)
    expect(await count(api, 'events')).toBe(1)
    expect(await linkRow(api, link.id)).toEqual(before)
    // Its page now says so, and carries no nonce.
    const page = await api.request(`/signup/${link.id}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('already connected')
    expect(html).not.toContain('signup-config')
  })

  it('refuses an expired link and keeps it unchanged', async () => {
    const link = await createLink(api, org.test, {
      expiresInSeconds: 900,
      redirectUrl: 'myapp://whatsapp/callback',
    })
    const { nonce } = await pageConfig(api, link.id)
    api.database.setNow(new Date(Date.parse(link.expiresAt) + 1000))
    const res = await postCallback(
      api,
      link.id,
      callbackBody(nonce, await playSandbox(api, 'success')),
    )
    expect(res.status).toBe(410)
    // The refusal carries where the page sends the user back to, next to the error.
    const body = await readJson(
      res,
      z.object({
        error: z.object({ code: z.string(), message: z.string() }),
        redirectUrl: z.string(),
      }),
    )
    expect(body.error.code).toBe('link_expired')
    const redirect = new URL(body.redirectUrl)
    expect(redirect.protocol).toBe('myapp:')
    expect(redirect.searchParams.get('status')).toBe('error')
    expect(redirect.searchParams.get('error')).toBe('This link has expired.')
    expect(await count(api, 'wabas')).toBe(0)
  })

  it('refuses a bad or foreign nonce without recording anything', async () => {
    const link = await createLink(api, org.test)
    const other = await createLink(api, org.test)
    const { nonce: otherNonce } = await pageConfig(api, other.id)
    const result = await playSandbox(api, 'success')
    for (const nonce of ['nonsense', otherNonce, `${Date.now()}.${'A'.repeat(43)}`]) {
      const res = await postCallback(api, link.id, callbackBody(nonce, result))
      expect((await readError(res, 403)).code).toBe('invalid_nonce')
    }
    // An old nonce is refused too.
    const { nonce } = await pageConfig(api, link.id)
    api.database.setNow(new Date(Date.now() + 3 * 3600 * 1000))
    const stale = await postCallback(api, link.id, callbackBody(nonce, result))
    expect(stale.status).toBe(403)
    expect(await api.core.db.selectFrom('signup_attempts').selectAll().execute()).toEqual([])
    expect((await linkRow(api, link.id)).status).toBe('pending')
  })

  it('answers 404 for an unknown link and 400 naming a bad field', async () => {
    const res = await postCallback(api, '00000000-0000-4000-8000-000000000000', { nonce: 'x' })
    expect(res.status).toBe(404)
    const link = await createLink(api, org.test)
    const bad = await postCallback(api, link.id, { nonce: 'x', wabaId: '../me' })
    expect((await readError(bad, 400)).details?.[0]?.field).toBe('wabaId')
  })

  it('refuses a WABA already connected to this or another organisation in this mode, keeping the link pending', async () => {
    const first = await createLink(api, org.test)
    expect((await completeWith(api, first.id, 'success', { sharedWaba: true })).res.status).toBe(
      200,
    )
    const second = await createLink(api, org.test, { redirectUrl: 'https://myapp.com/cb?x=1' })
    const { res, body } = await completeWith(api, second.id, 'success', { sharedWaba: true })
    expect(res.status).toBe(409)
    expect(body.error.code).toBe('waba_already_connected')
    const redirect = new URL(body.redirectUrl)
    expect(Object.fromEntries(redirect.searchParams)).toMatchObject({
      x: '1',
      onboarding_link_id: second.id,
      external_id: 'customer-123',
      status: 'error',
      error_code: 'waba_already_connected',
    })
    const row = await linkRow(api, second.id)
    expect(row.status).toBe('pending')
    expect(row.last_error).toContain('already connected')
    // Nor may another organisation: a WABA has one owner per mode.
    const otherOrg = await api.createOrganization('Other')
    const third = await createLink(api, otherOrg.test)
    const taken = await completeWith(api, third.id, 'success', { sharedWaba: true })
    expect(taken.res.status).toBe(409)
    expect(taken.body.error.code).toBe('waba_already_connected')
    const wabas = await api.core.db
      .selectFrom('wabas')
      .select(['organization_id', 'meta_waba_id'])
      .execute()
    expect(wabas).toEqual([{ organization_id: org.id, meta_waba_id: SANDBOX_SHARED_WABA_ID }])
  })

  it('keeps the connection when registration fails, and health says so', async () => {
    const link = await createLink(api, org.test)
    const { res } = await completeWith(api, link.id, 'success', { registerFails: true })
    expect(res.status).toBe(200)
    const got = await readData(
      await api.request(`/v1/onboarding-links/${link.id}`, { key: org.test }),
      'link',
    )
    expect(got.status).toBe('completed')
    expect(got.isPhoneRegistered).toBe(false)
    const health = await readData(
      await api.request(`/v1/phones/${got.phoneNumberId}/health`, { key: org.test }),
      'phoneHealth',
    )
    expect(health.capabilities.canSendMessages).toBe(false)
    expect(health.capabilities.canReceiveMessages).toBe(false)
    expect(health.status).toBe('not_ready')
    const issue = health.issues.find((i) => i.code === 'phone_not_registered')
    expect(issue?.message).toContain(String(SANDBOX_REGISTER_FAILURE_CODE))
  })

  it('records a cancel with the step where the user stopped', async () => {
    const link = await createLink(api, org.test, { redirectUrl: 'https://myapp.com/cb' })
    const { res, body } = await completeWith(api, link.id, 'cancel', {
      currentStep: 'WABA_PHONE_PROFILE_PICKER',
    })
    expect(res.status).toBe(200)
    expect(body.data).toMatchObject({ status: 'cancelled', step: 'WABA_PHONE_PROFILE_PICKER' })
    expect(new URL(body.data.redirectUrl).searchParams.get('status')).toBe('error')
    const got = await readData(
      await api.request(`/v1/onboarding-links/${link.id}`, { key: org.test }),
      'link',
    )
    expect(got).toMatchObject({ status: 'pending', cancelStep: 'WABA_PHONE_PROFILE_PICKER' })
    const attempts = await api.core.db.selectFrom('signup_attempts').selectAll().execute()
    expect(attempts).toMatchObject([
      {
        outcome: 'cancelled',
        event: 'CANCEL',
        step: 'WABA_PHONE_PROFILE_PICKER',
        onboarding_link_id: link.id,
      },
    ])
    // The end-user can try again and succeed.
    expect((await completeWith(api, link.id, 'success')).res.status).toBe(200)
  })

  it('turns an error reported by Meta’s flow into an error redirect, link still pending', async () => {
    const link = await createLink(api, org.test, { redirectUrl: 'https://myapp.com/cb' })
    const { res, body } = await completeWith(api, link.id, 'error')
    expect(res.status).toBe(422)
    expect(body.error.code).toBe('signup_failed')
    expect(new URL(body.redirectUrl).searchParams.get('error')).toContain('verified name')
    expect((await linkRow(api, link.id)).status).toBe('pending')
  })

  it('reports an expired code and keeps the link pending', async () => {
    const link = await createLink(api, org.test)
    const { res, body } = await completeWith(api, link.id, 'success', { expiredCode: true })
    expect(res.status).toBe(400)
    expect(body).toMatchObject({ error: { code: 'code_expired' }, redirectUrl: null })
    expect((await linkRow(api, link.id)).status).toBe('pending')
  })

  it('refuses a WABA shared without any phone number, keeping the link pending', async () => {
    const link = await createLink(api, org.test)
    const { res, body } = await completeWith(api, link.id, 'only-waba')
    expect(res.status).toBe(422)
    expect(body.error.code).toBe('no_phone_number')
    expect((await linkRow(api, link.id)).status).toBe('pending')
    expect(await count(api, 'wabas')).toBe(0)
  })

  it('reports Meta rate limiting as retryable, creating nothing', async () => {
    const link = await createLink(api, org.test)
    const { res, body } = await completeWith(api, link.id, 'success', { rateLimit: 'waba' })
    expect(res.status).toBe(503)
    expect(body.error.code).toBe('rate_limited')
    expect(await count(api, 'wabas')).toBe(0)
  })

  it('refuses browser ids that the token was not granted', async () => {
    const link = await createLink(api, org.test)
    const { nonce } = await pageConfig(api, link.id)
    const mine = await playSandbox(api, 'success')
    const theirs = await playSandbox(api, 'success')
    const forged = callbackBody(nonce, mine)
    forged.wabaId = theirs.event.data.waba_id!
    const res = await postCallback(api, link.id, forged)
    expect((await readError(res, 422)).code).toBe('waba_not_shared')
    expect(await count(api, 'wabas')).toBe(0)
  })

  it('connects a coexistence number without registering it', async () => {
    const link = await createLink(api, org.test, { allowCoexistence: true })
    const { res, result } = await completeWith(api, link.id, 'coexistence')
    expect(res.status).toBe(200)
    const got = await readData(
      await api.request(`/v1/onboarding-links/${link.id}`, { key: org.test }),
      'link',
    )
    expect(got.isPhoneRegistered).toBe(true)
    const phoneId = result.sandbox.phoneNumberIds[0]!
    expect((await api.sandbox.state.phone(phoneId))?.registerCalls).toEqual([])
    const phone = await readData(
      await api.request(`/v1/phones/${got.phoneNumberId}`, { key: org.test }),
      'phoneDetail',
    )
    expect(phone).toMatchObject({ isCoexistence: true, metaPhoneNumberId: phoneId })
  })

  it('records phone_number.connected and the link’s own webhook in the same transaction', async () => {
    const link = await createLink(api, org.test, {
      webhookUrl: 'http://127.0.0.1:9/hook',
      webhookEvents: ['phone_number.connected'],
    })
    await completeWith(api, link.id, 'success')
    const got = await readData(
      await api.request(`/v1/onboarding-links/${link.id}`, { key: org.test }),
      'link',
    )
    const event = await api.core.db.selectFrom('events').selectAll().executeTakeFirstOrThrow()
    expect(JSON.parse(event.payload)).toMatchObject({
      event: 'phone_number.connected',
      organizationId: org.id,
      data: {
        onboardingLinkId: link.id,
        externalId: 'customer-123',
        phoneNumberId: got.phoneNumberId,
        phoneNumber: got.phoneNumber,
        wabaId: got.wabaId,
        isPhoneRegistered: true,
      },
    })
    expect(JSON.parse(event.payload).data).not.toHaveProperty('metadata')
    const hooks = await api.core.db.selectFrom('outgoing_webhooks').selectAll().execute()
    expect(hooks).toMatchObject([{ waba_id: got.wabaId, onboarding_link_id: link.id }])
    const deliveries = await api.core.db.selectFrom('webhook_deliveries').selectAll().execute()
    expect(deliveries).toMatchObject([{ endpoint_id: hooks[0]!.id, event_id: event.id }])
    // Enqueued after commit, with the delivery id as the job id.
    const job = await api.deliveryQueue.queue.getJob(deliveries[0]!.id)
    expect(job?.data).toEqual({ deliveryId: deliveries[0]!.id })
  })
})

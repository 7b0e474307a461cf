import { metaWebhooks, signupCompletion } from '@onboard/core'
import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import type { TestApi } from './support/harness'
import { readData } from './support/responses'
import { createLink, pageConfig, playSandbox } from './support/signup'

/**
 * Review: the sweeper (completeAwaitingLinks, no mode or organisation filter) takes the 20
 * oldest FINISHes whose install is on record. A link it skips or fails on (another FINISH for
 * the WABA, Graph refusing the WABA, no system-user token) stays in that query for its whole
 * life and keeps its place at the head. One organisation with a test key (the sandbox emits a
 * PARTNER_APP_INSTALLED for any WABA id nobody holds) parks 20 such links and the sweeper never
 * reaches anyone else's link again: every sign-up whose FINISH came after its install (the
 * case only the sweeper handles) is lost, in every organisation and both modes.
 */
async function reportFinish(api: TestApi, linkId: string, metaWabaId: string) {
  const { nonce } = await pageConfig(api, linkId)
  const res = await api.request(`/signup/${linkId}/activity`, {
    method: 'POST',
    json: {
      nonce,
      kind: 'meta_result',
      attempt: 1,
      result: { event: 'FINISH', wabaId: metaWabaId },
    },
  })
  expect(res.status).toBe(200)
}

async function install(api: TestApi, key: string, metaWabaId: string) {
  const res = await api.request('/__sandbox/webhooks/emit', {
    method: 'POST',
    key,
    json: { target: `${api.url}/webhooks/meta`, kind: 'partner_app_installed', wabaId: metaWabaId },
  })
  expect(res.status).toBe(200)
}

async function processReceipts(api: TestApi) {
  const pending = await api.core.db
    .selectFrom('meta_webhook_receipts')
    .select('id')
    .where('status', '=', 'pending')
    .execute()
  for (const { id } of pending) await metaWebhooks.processReceipt(api.core, id)
}

describe('review: links the sweeper cannot complete do not starve everyone else’s', () => {
  const api = useTestApi({ scope: 'test' })
  const attacker = useOrganization(api, { scope: 'test' })

  it('20 parked links of one organisation; another organisation’s FINISH-after-install still completes on a sweep', async () => {
    const start = Date.now() - signupCompletion.PAGE_CALLBACK_GRACE_MS - 60_000
    api.database.setNow(new Date(start))
    for (let index = 0; index < 20; index++) {
      const bogusWaba = `90000000000${String(index).padStart(3, '0')}`
      const link = await createLink(api, attacker.test)
      await install(api, attacker.test, bogusWaba)
      await reportFinish(api, link.id, bogusWaba)
    }
    await processReceipts(api)

    const victim = await api.createOrganization('Victim')
    api.database.setNow(new Date(start + 30_000))
    const link = await createLink(api, victim.test)
    const result = await playSandbox(api, 'success')
    const metaWabaId = result.event.data.waba_id
    if (!metaWabaId) throw new Error('no WABA')
    await install(api, victim.test, metaWabaId)
    await processReceipts(api)
    await reportFinish(api, link.id, metaWabaId)
    api.database.setNow(new Date())

    // A few ticks of the worker's sweeper.
    for (let tick = 0; tick < 3; tick++)
      await signupCompletion.completeAwaitingLinks(api.core, api.metaApps)
    const read = await api.request(`/v1/onboarding-links/${link.id}`, { key: victim.test })
    expect((await readData(read, 'link')).status).toBe('completed')
  })
})

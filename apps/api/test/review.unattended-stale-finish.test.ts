import { metaWebhooks, signupCompletion } from '@onboard/core'
import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import type { TestApi } from './support/harness'
import { readData } from './support/responses'
import { createLink, pageConfig, playSandbox } from './support/signup'

/**
 * Review: refusalOf counts every link of the mode, not completed, whose FINISH named the WABA
 * (links.ts unfinishedLinkWithFinishWaba: `status != 'completed'`, expiry ignored). An expired
 * link keeps its FINISH for ever, so the common retry ("your link expired, here is a new one")
 * can never complete unattended: the customer's first, expired link blocks the WABA for every
 * later link, in any organisation, for good.
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

describe('review: an expired link’s FINISH does not block a later link’s unattended completion', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  it('the first link expired after its FINISH; the second link’s FINISH and install complete it', async () => {
    const start = Date.now() - 3 * 3600_000
    api.database.setNow(new Date(start))
    const first = await createLink(api, org.test, { expiresInSeconds: 900 })
    const result = await playSandbox(api, 'success')
    const metaWabaId = result.event.data.waba_id
    if (!metaWabaId) throw new Error('no WABA')
    // The first try: Meta finished, the code exchange failed, the link then expired unused.
    await reportFinish(api, first.id, metaWabaId)

    // Hours later, a new link for the same customer; the tab closes after Meta's FINISH.
    api.database.setNow(new Date(Date.now() - signupCompletion.PAGE_CALLBACK_GRACE_MS - 5000))
    const second = await createLink(api, org.test)
    await reportFinish(api, second.id, metaWabaId)
    api.database.setNow(new Date())
    const emitted = await api.request('/__sandbox/webhooks/emit', {
      method: 'POST',
      key: org.test,
      json: {
        target: `${api.url}/webhooks/meta`,
        kind: 'partner_app_installed',
        wabaId: metaWabaId,
      },
    })
    expect(emitted.status).toBe(200)
    const pending = await api.core.db
      .selectFrom('meta_webhook_receipts')
      .select('id')
      .where('status', '=', 'pending')
      .execute()
    for (const { id } of pending) await metaWebhooks.processReceipt(api.core, id)

    const swept = await signupCompletion.completeAwaitingLinks(api.core, api.metaApps)
    expect(swept).toMatchObject([{ linkId: second.id, outcome: 'completed' }])
    const read = await api.request(`/v1/onboarding-links/${second.id}`, { key: org.test })
    expect((await readData(read, 'link')).status).toBe('completed')
  })
})

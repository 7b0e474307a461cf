import { metaWebhooks, signupCompletion } from '@onboard/core'
import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { createLink, pageConfig, playSandbox } from './support/signup'

/**
 * Review: a completion that fails for a reason no retry changes (a WABA-only FINISH: Meta
 * shared a WABA without a number, `no_phone_number`; or a FINISH naming a phone that is not
 * the WABA's, `phone_not_in_waba`) is 'failed', gives its lease back, and stays in
 * linksAwaitingInstall: every sweeper tick (WEBHOOK_RELAY_INTERVAL, 5 s) reads the WABA and
 * lists its numbers on Graph with the platform's system-user token again, for the link's
 * whole life (up to 90 days), and holds one of the tick's 20 places.
 */
describe('review: a completion that cannot succeed is not retried on every tick', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  it('a WABA-only FINISH whose tab closed: one try, then the sweeper leaves it', async () => {
    api.database.setNow(new Date(Date.now() - signupCompletion.PAGE_CALLBACK_GRACE_MS - 5000))
    const link = await createLink(api, org.test)
    const result = await playSandbox(api, 'only-waba')
    const metaWabaId = result.event.data.waba_id
    if (!metaWabaId) throw new Error('no WABA')
    const { nonce } = await pageConfig(api, link.id)
    const reported = await api.request(`/signup/${link.id}/activity`, {
      method: 'POST',
      json: {
        nonce,
        kind: 'meta_result',
        attempt: 1,
        result: { event: result.event.event, wabaId: metaWabaId },
      },
    })
    expect(reported.status).toBe(200)
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

    const first = await signupCompletion.completeAwaitingLinks(api.core, api.metaApps)
    expect(first.map((c) => c.linkId)).toEqual([link.id])
    // Nothing changed on Meta's side: the next ticks must not call Graph for it again.
    const second = await signupCompletion.completeAwaitingLinks(api.core, api.metaApps)
    expect(second).toEqual([])
  })
})

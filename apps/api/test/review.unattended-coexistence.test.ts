import { metaWebhooks, signupCompletion } from '@onboard/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData } from './support/responses'
import { createLink, pageConfig, playSandbox } from './support/signup'

/**
 * Review: the unattended completion reads the WABA with `isCoexistence: false` whatever the
 * link allowed and the FINISH said (graph-steps.ts gatherFactsWithSystemUser). A coexistence
 * sign-up (FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING, which activity.ts records as a FINISH)
 * whose tab closed is then completed by registering the number with a fresh PIN: a number
 * live on the WhatsApp Business app gets its two-step PIN set by us, and the phone is stored
 * as not coexistence. The page's own callback never registers such a number.
 */
describe('review: an unattended coexistence sign-up completes as coexistence', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  beforeEach(() =>
    api.database.setNow(new Date(Date.now() - signupCompletion.PAGE_CALLBACK_GRACE_MS - 5000)),
  )

  it('the tab closed after a coexistence FINISH: the install completes it without registering the number', async () => {
    const link = await createLink(api, org.test, { allowCoexistence: true })
    const result = await playSandbox(api, 'coexistence')
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
    const completions: signupCompletion.UnattendedCompletion[] = []
    for (const { id } of pending) {
      const processed = await metaWebhooks.processReceipt(api.core, id)
      if (!processed.mode) continue
      completions.push(
        ...(await signupCompletion.completeLinksForInstalls(api.core, api.metaApps, {
          mode: processed.mode,
          metaWabaIds: processed.installedWabaIds,
        })),
      )
    }
    expect(completions.map((c) => c.outcome)).toEqual(['completed'])

    const got = await readData(
      await api.request(`/v1/onboarding-links/${link.id}`, { key: org.test }),
      'link',
    )
    const phoneId = result.sandbox.phoneNumberIds[0]
    if (!phoneId) throw new Error('no phone')
    // As the page's callback does (signup.callback.test.ts): never registered, stored as coexistence.
    expect((await api.sandbox.state.phone(phoneId))?.registerCalls).toEqual([])
    const phone = await readData(
      await api.request(`/v1/phones/${got.phoneNumberId}`, { key: org.test }),
      'phoneDetail',
    )
    expect(phone).toMatchObject({ isCoexistence: true, metaPhoneNumberId: phoneId })
  })
})

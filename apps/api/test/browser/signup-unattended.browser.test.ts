import { signupCompletion } from '@onboard/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../../workers/webhooks/test/support/receiver'
import { readData } from '../support/responses'
import { createLink } from '../support/signup'
import { startTestWorkers } from '../support/workers'
import { connectWith, useBrowserSuite } from './support'

/**
 * No lost sign-ups in a real browser: Meta finishes the sign-up in the sandbox popup, the
 * page receives the FINISH and the tab closes before its callback. The sandbox then sends
 * PARTNER_APP_INSTALLED as Meta does, the worker processes it, and the link completes with
 * nobody on the page.
 */
describe('a sign-up whose tab closed before the callback', () => {
  const s = useBrowserSuite()
  let workers: { close: () => Promise<void> } | undefined
  beforeAll(() => {
    workers = startTestWorkers(s.api)
  })
  afterAll(async () => {
    await workers?.close()
  })

  const linkOf = async (id: string) =>
    readData(await s.api.request(`/v1/onboarding-links/${id}`, { key: s.org.test }), 'link')

  it('completes from Meta’s install with nobody on the page', async () => {
    // The page opens a little more than its grace ago: returning to the present passes it
    // (a clock moved into the future would only delay what the completion records).
    s.api.database.setNow(new Date(Date.now() - signupCompletion.PAGE_CALLBACK_GRACE_MS - 5000))
    const link = await createLink(s.api, s.org.test)
    // Were the page's script faster than the close below, its callback must still never arrive.
    await s.page.route(`**/signup/${link.id}/callback`, (route) => route.abort())
    await s.page.goto(link.hostedUrl)
    await connectWith(s.page, { scenario: 'tab-closed' })
    await waitFor('the page to record Meta’s FINISH', async () => {
      const row = await s.api.core.db
        .selectFrom('onboarding_links')
        .select('finish_meta_waba_id')
        .where('id', '=', link.id)
        .executeTakeFirstOrThrow()
      return row.finish_meta_waba_id !== null
    })
    await s.page.close()
    expect((await linkOf(link.id)).status).toBe('pending')

    s.api.database.setNow(new Date())
    await waitFor(
      'the link to complete',
      async () => (await linkOf(link.id)).status === 'completed',
    )
    const done = await linkOf(link.id)
    expect(done.phoneNumber).toMatch(/^\+\d+$/)
    expect(done.isPhoneRegistered).toBe(true)
    // Completed through Meta's install, which the sandbox sent by itself, now used by this link.
    const install = await s.api.core.db
      .selectFrom('meta_waba_installs')
      .select(['claimed_by', 'last_event'])
      .executeTakeFirstOrThrow()
    expect(install).toEqual({ claimed_by: link.id, last_event: 'PARTNER_APP_INSTALLED' })
    const attempts = await s.api.core.db
      .selectFrom('signup_attempts')
      .select('outcome')
      .where('onboarding_link_id', '=', link.id)
      .execute()
    expect(attempts).toEqual([{ outcome: 'completed' }])
  })
})

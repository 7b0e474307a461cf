import { metaWebhooks, signupCompletion } from '@onboard/core'
import type { SignupResult } from '@onboard/meta-sandbox'
import { beforeEach, describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import type { TestApi } from './support/harness'
import { readData } from './support/responses'
import { completeSessionManually, createSession, readSession } from './support/sessions'
import { callbackBody, createLink, pageConfig, playSandbox, postCallback } from './support/signup'

/**
 * Review: a FINISH is only what a browser said. An attacker organisation renders its OWN
 * link's page (the nonce is its only credential), reports a FINISH naming a victim's WABA id
 * (WABA ids are not secrets), and waits. When Meta's PARTNER_APP_INSTALLED for the victim's
 * sign-up arrives before the victim's page reported its own FINISH (the install webhook beats
 * the page's fire-and-forget report, or the victim's sign-up is a session, whose FINISH is
 * only recorded at its callback), the unattended completion hands the victim's WABA to the
 * attacker's organisation through the system-user token.
 */
async function reportForgedFinish(api: TestApi, linkId: string, metaWabaId: string) {
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

/** What the worker does with a receipt: process it, hand its installs to the completion. */
async function processReceipts(api: TestApi) {
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

function wabaOf(result: SignupResult): string {
  const id = result.event.data.waba_id
  if (!id) throw new Error('the sandbox named no WABA')
  return id
}

describe('review: a forged FINISH on an attacker’s own link does not take a victim’s WABA', () => {
  const api = useTestApi({ scope: 'test' })
  const attacker = useOrganization(api, { scope: 'test' })

  // The attacker reported its FINISH long before: the page's grace has passed for it.
  beforeEach(() =>
    api.database.setNow(new Date(Date.now() - signupCompletion.PAGE_CALLBACK_GRACE_MS - 5000)),
  )

  it('victim link: the install arrives before the victim page’s FINISH report; the attacker’s link must not complete', async () => {
    const victim = await api.createOrganization('Victim')
    const victimLink = await createLink(api, victim.test)
    const attackerLink = await createLink(api, attacker.test)
    // The victim's end-user finishes on Meta's side.
    const result = await playSandbox(api, 'success')
    const metaWabaId = wabaOf(result)
    await reportForgedFinish(api, attackerLink.id, metaWabaId)
    api.database.setNow(new Date())
    // Meta's install for the victim's sign-up is processed before the victim's page reports.
    await install(api, victim.test, metaWabaId)
    const completions = await processReceipts(api)

    const attackers = readData(
      await api.request(`/v1/onboarding-links/${attackerLink.id}`, { key: attacker.test }),
      'link',
    )
    expect(completions.filter((c) => c.outcome === 'completed')).toEqual([])
    expect((await attackers).status).toBe('pending')
    // The victim's own callback, seconds later, still connects the victim's WABA.
    const { nonce } = await pageConfig(api, victimLink.id)
    const callback = await postCallback(api, victimLink.id, callbackBody(nonce, result))
    expect(callback.status).toBe(200)
  })

  it('victim session whose tab closed (no FINISH recorded): the attacker’s link must not take the WABA before the operator completes it', async () => {
    const victim = await api.createOrganization('Victim')
    const session = await createSession(api, victim.test)
    const attackerLink = await createLink(api, attacker.test)
    const result = await playSandbox(api, 'success')
    const metaWabaId = wabaOf(result)
    await reportForgedFinish(api, attackerLink.id, metaWabaId)
    api.database.setNow(new Date())
    await install(api, victim.test, metaWabaId)
    const completions = await processReceipts(api)

    expect(completions.filter((c) => c.outcome === 'completed')).toEqual([])
    // The victim's operator completes the session from Meta's install, as documented.
    const manual = await completeSessionManually(api, victim.test, session.id, metaWabaId)
    expect(manual.status).toBe(200)
    expect((await readSession(api, victim.test, session.id)).status).toBe('completed')
  })
})

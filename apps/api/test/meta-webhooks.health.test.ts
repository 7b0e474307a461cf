import { metaWebhooks } from '@onboard/core'
import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData } from './support/responses'
import { emittedReceiptId } from './support/sessions'
import { completeWith, createLink } from './support/signup'

/** What Meta's webhooks said about a number shows in /v1/phones/:id/health. */
describe('phone health from Meta webhooks', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  /** The sandbox emits; processing here stands in for the worker (tested end to end elsewhere). */
  const emitAndProcess = async (json: Record<string, unknown>) => {
    const res = await api.request('/__sandbox/webhooks/emit', {
      method: 'POST',
      key: org.test,
      json: { target: `${api.url}/webhooks/meta`, ...json },
    })
    await metaWebhooks.processReceipt(api.core, await emittedReceiptId(res))
  }
  const health = async (phoneId: string) =>
    readData(await api.request(`/v1/phones/${phoneId}/health`, { key: org.test }), 'phoneHealth')
  /** The phone a completed link connected. */
  const phoneOf = async (linkId: string) => {
    const link = await readData(
      await api.request(`/v1/onboarding-links/${linkId}`, { key: org.test }),
      'link',
    )
    if (link.phoneNumberId === null) throw new Error(`${linkId} connected no phone`)
    return link.phoneNumberId
  }

  it('shows a flagged number as a warning and clears it when unflagged', async () => {
    const link = await createLink(api, org.test)
    const { result } = await completeWith(api, link.id, 'success')
    const phoneId = await phoneOf(link.id)
    expect((await health(phoneId)).status).toBe('ready')

    const phoneNumberId = result.event.data.phone_number_id
    await emitAndProcess({ kind: 'quality_update', phoneNumberId, qualityEvent: 'FLAGGED' })
    const flagged = await health(phoneId)
    expect(flagged.status).toBe('limited')
    expect(flagged.capabilities.canReceiveMessages).toBe(true)
    expect(flagged.issues).toEqual([
      expect.objectContaining({
        code: 'phone_flagged',
        severity: 'warning',
        source: 'meta_webhook',
      }),
    ])
    const phone = await readData(
      await api.request(`/v1/phones/${phoneId}`, { key: org.test }),
      'phoneDetail',
    )
    expect(phone.status).toBe('FLAGGED')

    await emitAndProcess({ kind: 'quality_update', phoneNumberId, qualityEvent: 'UNFLAGGED' })
    expect(await health(phoneId)).toMatchObject({ status: 'ready', issues: [] })
  })

  it('shows an uninstalled WABA’s number as not ready', async () => {
    const link = await createLink(api, org.test)
    const { result } = await completeWith(api, link.id, 'success')
    const phoneId = await phoneOf(link.id)
    await emitAndProcess({ kind: 'partner_app_uninstalled', wabaId: result.event.data.waba_id })
    const after = await health(phoneId)
    expect(after.status).toBe('not_ready')
    expect(after.capabilities).toMatchObject({ canSendMessages: false, canReceiveMessages: false })
    expect(after.issues.map((i) => i.code)).toContain('waba_disconnected')
  })
})

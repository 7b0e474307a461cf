import { beforeAll, describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readList } from './support/responses'
import { completeWith, createLink } from './support/signup'

describe('wabas', () => {
  const api = useTestApi()
  const org = useOrganization(api)
  const other = useOrganization(api, { name: 'Other' })
  let link: { id: string; phoneNumberId: string; wabaId: string }
  let metaWabaId: string
  beforeAll(async () => {
    const created = await createLink(api, org.test, { metadata: { crm: 'crm_789' } })
    const { result } = await completeWith(api, created.id, 'success', { phoneNumberCount: 3 })
    metaWabaId = result.event.data.waba_id!
    const connected = await readData(
      await api.request(`/v1/onboarding-links/${created.id}`, { key: org.test }),
      'link',
    )
    const { phoneNumberId, wabaId } = connected
    if (phoneNumberId === null || wabaId === null) {
      throw new Error('the completed link names no phone or no WABA')
    }
    link = { id: connected.id, phoneNumberId, wabaId }
  })

  it('lists and reads the connected WABA with the link’s metadata', async () => {
    const list = await readList(await api.request('/v1/wabas', { key: org.test }), 'waba')
    expect(list.pagination.total).toBe(1)
    const expected = {
      id: link.wabaId,
      metaWabaId,
      metadata: { crm: 'crm_789' },
      onboardingLinkId: link.id,
      isSubscribed: true,
      isTestProfile: true,
      status: 'connected',
    }
    expect(list.data[0]).toMatchObject(expected)
    const got = await readData(
      await api.request(`/v1/wabas/${link.wabaId}`, { key: org.test }),
      'waba',
    )
    expect(got).toMatchObject(expected)
    expect(got.ownerBusiness?.id).toMatch(/^\d+$/)
  })

  it('shows the connection with every phone of the WABA, metadata only on the chosen one', async () => {
    const data = await readData(
      await api.request(`/v1/wabas/${link.wabaId}/connection`, { key: org.test }),
      'wabaConnection',
    )
    const owner = data.waba.ownerBusiness
    if (owner === null) throw new Error('the connected WABA names no owner business')
    expect(data.connectedAccount).toMatchObject({
      source: 'embedded_signup',
      business: { id: owner.id },
      waba: { id: link.wabaId, metaWabaId },
      pageIds: [],
      graphLookupErrors: [],
    })
    expect(data.phones).toHaveLength(3)
    const chosen = data.phones.filter((p) => p.metadata !== null)
    expect(chosen.map((p) => p.id)).toEqual([link.phoneNumberId])
  })

  it('keeps answering with stored values and graphLookupErrors when Graph fails', async () => {
    await api.sandbox.state.forgetTokens()
    const res = await api.request(`/v1/wabas/${link.wabaId}/connection`, { key: org.test })
    expect(res.status).toBe(200)
    const data = await readData(res, 'wabaConnection')
    expect(data.waba.metaWabaId).toBe(metaWabaId)
    expect(data.connectedAccount.graphLookupErrors).toEqual([
      expect.objectContaining({ operation: 'getWaba', code: expect.any(String) }),
    ])
  })

  it('hides WABAs from other organisations and from the other mode', async () => {
    for (const key of [other.test, org.live]) {
      expect((await readList(await api.request('/v1/wabas', { key }), 'waba')).data).toEqual([])
      for (const path of [`/v1/wabas/${link.wabaId}`, `/v1/wabas/${link.wabaId}/connection`]) {
        expect((await api.request(path, { key })).status).toBe(404)
      }
    }
  })
})

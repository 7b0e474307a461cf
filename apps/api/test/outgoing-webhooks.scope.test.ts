import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError } from './support/responses'
import { completeWith, createLink } from './support/signup'

describe('outgoing webhooks: WABA scope', () => {
  const api = useTestApi({ scope: 'test' })
  const acme = useOrganization(api, { name: 'Acme', scope: 'test' })

  const create = (key: string, wabaId: string) =>
    api.request('/v1/outgoing-webhooks', {
      method: 'POST',
      key,
      json: { url: 'https://hooks.example.com/wa', events: ['message.received'], wabaId },
    })

  it('accepts a WABA of the organisation and mode, and refuses any other, naming wabaId', async () => {
    const link = await createLink(api, acme.test)
    expect((await completeWith(api, link.id, 'success')).res.status).toBe(200)
    const { wabaId } = await readData(
      await api.request(`/v1/onboarding-links/${link.id}`, { key: acme.test }),
      'link',
    )
    if (wabaId === null) throw new Error('the completed link names no WABA')

    const ok = await create(acme.test, wabaId)
    expect(ok.status).toBe(201)
    expect((await readData(ok, 'endpoint')).wabaId).toBe(wabaId)

    const globex = await api.createOrganization('Globex')
    for (const [key, id] of [
      [acme.test, 'no-such-waba'],
      [acme.live, wabaId],
      [globex.test, wabaId],
    ] as const) {
      const res = await create(key, id)
      expect(res.status).toBe(400)
      const error = await readError(res)
      expect(error.details).toEqual([
        { field: 'wabaId', message: 'is not a WABA of this organisation in this mode' },
      ])
    }
  })
})

import { prefillExample } from '@onboard/core'
import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError } from './support/responses'

/** The documented example with every address field. */
const full = {
  ...prefillExample,
  business: {
    ...prefillExample.business,
    address: { ...prefillExample.business.address, streetAddress2: 'Suite 4' },
  },
}

describe('onboarding links: prefill, pre-verified numbers and coexistence', () => {
  const api = useTestApi()
  const org = useOrganization(api)

  const create = (body: Record<string, unknown>) =>
    api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: { name: 'Acme', ...body },
    })

  it('accepts the Chirp example prefill and returns it on create and read', async () => {
    const res = await create({
      prefill: full,
      preVerifiedPhoneIds: ['106540352242922'],
      allowCoexistence: true,
    })
    expect(res.status).toBe(201)
    const data = await readData(res, 'link')
    expect(data).toMatchObject({
      prefill: full,
      preVerifiedPhoneIds: ['106540352242922'],
      allowCoexistence: true,
    })
    const got = await readData(
      await api.request(`/v1/onboarding-links/${data.id}`, { key: org.test }),
      'link',
    )
    expect(got).toMatchObject({ prefill: full, allowCoexistence: true })
    const plain = await readData(await create({}), 'link')
    expect(plain).toMatchObject({
      prefill: null,
      preVerifiedPhoneIds: null,
      allowCoexistence: false,
    })
  })

  const cases: Array<[string, Record<string, unknown>, string]> = [
    [
      'a long business name',
      { prefill: { business: { name: 'x'.repeat(256) } } },
      'prefill.business.name',
    ],
    ['a bad email', { prefill: { business: { email: 'nope' } } }, 'prefill.business.email'],
    [
      'a non-http website',
      { prefill: { business: { website: 'javascript:alert(1)' } } },
      'prefill.business.website',
    ],
    [
      'a country name',
      { prefill: { business: { address: { country: 'USA' } } } },
      'prefill.business.address.country',
    ],
    [
      'an unknown country code',
      { prefill: { business: { address: { country: 'XX' } } } },
      'prefill.business.address.country',
    ],
    [
      'an offset timezone',
      { prefill: { business: { timezone: 'UTC-07:00' } } },
      'prefill.business.timezone',
    ],
    [
      'a made-up timezone',
      { prefill: { business: { timezone: 'Mars/Olympus' } } },
      'prefill.business.timezone',
    ],
    [
      'a calling code as text',
      { prefill: { business: { phone: { code: '+1', number: '4155551234' } } } },
      'prefill.business.phone.code',
    ],
    [
      'a number with symbols',
      { prefill: { business: { phone: { code: 1, number: '415-555' } } } },
      'prefill.business.phone.number',
    ],
    [
      'a long display name',
      { prefill: { phone: { displayName: 'x'.repeat(513) } } },
      'prefill.phone.displayName',
    ],
    [
      'a long description',
      { prefill: { phone: { description: 'x'.repeat(513) } } },
      'prefill.phone.description',
    ],
    ['an unknown field', { prefill: { business: { nmae: 'Acme' } } }, 'prefill.business.nmae'],
    ['a non-numeric phone id', { preVerifiedPhoneIds: ['abc'] }, 'preVerifiedPhoneIds[0]'],
    ['duplicate phone ids', { preVerifiedPhoneIds: ['1', '1'] }, 'preVerifiedPhoneIds[1]'],
    ['a non-boolean coexistence flag', { allowCoexistence: 'yes' }, 'allowCoexistence'],
  ]
  for (const [what, body, field] of cases) {
    it(`refuses ${what} with a 400 naming ${field}`, async () => {
      const res = await create(body)
      expect(res.status).toBe(400)
      const error = await readError(res)
      expect(error.code).toBe('validation_error')
      expect(error.details?.map((d) => d.field)).toContain(field)
    })
  }

  it('refuses a prefill over 10 KB as a whole, though each field is within its limit', async () => {
    const wide = '界'.repeat(255) // 765 bytes of UTF-8
    const address = { streetAddress1: wide, streetAddress2: wide, city: wide, state: wide }
    const website = `https://acme.com/${'界'.repeat(2000)}`
    const phone = { description: '界'.repeat(512) }
    const res = await create({ prefill: { business: { name: wide, website, address }, phone } })
    expect(res.status).toBe(400)
    const error = await readError(res)
    expect(error.details).toEqual([
      { field: 'prefill', message: expect.stringContaining('at most 10 KB') },
    ])
  })
})

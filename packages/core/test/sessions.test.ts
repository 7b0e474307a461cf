import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type AppError,
  businessProfiles,
  createOrganization,
  sessions,
  type Tenant,
} from '../src/index'
import { createTestDatabase, type TestDatabase, testCreationRules } from '../src/testing/index'

const rules = testCreationRules()

describe('business profile ids', () => {
  it('are the WABA row id in base62, and read back to it', () => {
    for (let i = 0; i < 200; i++) {
      const uuid = randomUUID()
      const profileId = businessProfiles.businessProfileIdOf(uuid)
      expect(profileId).toMatch(/^wabp_[0-9A-Za-z]{22}$/)
      expect(businessProfiles.wabaIdOfBusinessProfile(profileId)).toBe(uuid)
    }
    expect(businessProfiles.businessProfileIdOf('00000000-0000-0000-0000-000000000000')).toBe(
      `wabp_${'0'.repeat(22)}`,
    )
  })

  it('refuse anything that is not one', () => {
    for (const id of ['wabp_short', 'wss_0000000000000000000000', `wabp_${'z'.repeat(22)}`, '']) {
      expect(businessProfiles.wabaIdOfBusinessProfile(id)).toBeNull()
    }
  })
})

describe('documented redirect codes', () => {
  it.each([
    ['session_expired', 'session_expired'],
    ['waba_already_connected', 'waba_already_connected'],
    ['code_expired', 'code_expired'],
    ['meta_api_error', 'meta_api_error'],
    ['rate_limited', 'meta_api_error'],
    ['meta_not_configured', 'meta_api_error'],
    ['signup_cancelled', 'signup_failed'],
    ['waba_not_shared', 'signup_failed'],
    ['no_phone_number', 'signup_failed'],
    ['131031', 'signup_failed'],
  ])('%s → %s', (ours, documented) => {
    expect(sessions.documentedErrorCode(ours)).toBe(documented)
    expect(sessions.SESSION_ERROR_CODES).toContain(documented)
  })
})

describe('metadata filters', () => {
  const parse = (query: string) => sessions.metadataFiltersOf(new URLSearchParams(query))

  it('reads metadata[key]=value pairs and ignores other parameters', () => {
    expect(parse('page=2&metadata[externalUserId]=user_123&metadata[plan]=pro')).toEqual({
      externalUserId: 'user_123',
      plan: 'pro',
    })
    expect(parse('limit=5')).toEqual({})
  })

  it.each(['a"b', 'a.b', '$.x', "x') --", 'a b', ''])('refuses the key %j', (key) => {
    let caught: AppError | undefined
    try {
      parse(`metadata[${encodeURIComponent(key)}]=v`)
    } catch (error) {
      caught = error as AppError
    }
    expect(caught?.status).toBe(400)
    expect(caught?.details?.[0]?.field).toBe(`metadata[${key}]`)
  })

  it('refuses repeats, too many filters and long values', () => {
    expect(() => parse('metadata[a]=1&metadata[a]=2')).toThrow()
    expect(() =>
      parse(Array.from({ length: 6 }, (_, i) => `metadata[k${i}]=v`).join('&')),
    ).toThrow()
    expect(() => parse(`metadata[a]=${'v'.repeat(513)}`)).toThrow()
  })
})

describe('sessions in the database', () => {
  let db: TestDatabase
  let tenant: Tenant
  beforeEach(async () => {
    db = await createTestDatabase({ publicBaseUrl: 'https://onboard.example' })
    const org = await createOrganization(db.core, { name: 'Acme' })
    tenant = { organizationId: org.organization.id, mode: 'test' }
  })
  afterEach(async () => {
    await db.close()
  })

  it('expire on read after 15 minutes without any write', async () => {
    const start = new Date(Date.UTC(2026, 0, 1, 12))
    db.setNow(start)
    const created = await sessions.createSession(db.core, rules.metaApps, tenant, {
      redirect_uri: 'https://a.example/cb',
      state: 's',
    })
    expect(created.url).toBe(`https://onboard.example/signup/${created.id}`)
    expect(created.expires_at).toBe('2026-01-01T12:15:00.000Z')
    db.setNow(new Date(Date.UTC(2026, 0, 1, 12, 14, 59)))
    expect((await sessions.getSession(db.core, tenant, created.id)).status).toBe('pending')
    db.setNow(new Date(Date.UTC(2026, 0, 1, 12, 15)))
    expect((await sessions.getSession(db.core, tenant, created.id)).status).toBe('expired')
    const row = await sessions.findSessionRow(db.core, tenant, created.id)
    expect(row.status).toBe('pending')
    const expired = await sessions.listSessions(db.core, tenant, {
      page: 1,
      limit: 10,
      status: 'expired',
      metadataFilters: {},
    })
    expect(expired.data.map((s) => s.id)).toEqual([created.id])
  })

  it('are scoped to their organisation and mode', async () => {
    const created = await sessions.createSession(db.core, rules.metaApps, tenant, {
      redirect_uri: 'https://a.example/cb',
      state: 's',
    })
    await expect(
      sessions.getSession(db.core, { ...tenant, mode: 'live' }, created.id),
    ).rejects.toMatchObject({ status: 404 })
  })

  it('deletes a session of its own tenant only', async () => {
    const created = await sessions.createSession(db.core, rules.metaApps, tenant, {
      redirect_uri: 'myapp://cb',
      state: 's',
    })
    await expect(
      sessions.deleteSession(db.core, { ...tenant, mode: 'live' }, created.id),
    ).rejects.toMatchObject({ status: 404 })
    await sessions.deleteSession(db.core, tenant, created.id)
    await expect(sessions.getSession(db.core, tenant, created.id)).rejects.toMatchObject({
      status: 404,
    })
    await expect(sessions.deleteSession(db.core, tenant, created.id)).rejects.toMatchObject({
      status: 404,
    })
  })
})

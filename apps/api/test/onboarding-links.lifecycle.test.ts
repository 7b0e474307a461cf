import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { useOrganization, useTestApi } from './support/fixture'
import { readData, readError, readJson, readList, shapes } from './support/responses'

describe('onboarding links: listing, deleting and idempotency', () => {
  const api = useTestApi({ scope: 'test' })
  const org = useOrganization(api, { scope: 'test' })

  const create = async (name: string, headers: Record<string, string> = {}) =>
    api.request('/v1/onboarding-links', { method: 'POST', key: org.test, json: { name }, headers })

  it('lists newest first with page, limit, total and hasMore', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      api.database.setNow(new Date(Date.UTC(2026, 0, 1, 0, 0, i)))
      ids.push((await readData(await create(`Link ${i}`), 'link')).id)
    }
    api.database.setNow(new Date(Date.UTC(2026, 0, 2)))
    const page1 = await readList(
      await api.request('/v1/onboarding-links?page=1&limit=2', { key: org.test }),
      'link',
    )
    expect(page1.data.map((l: { name: string }) => l.name)).toEqual(['Link 4', 'Link 3'])
    expect(page1.pagination).toEqual({ page: 1, limit: 2, total: 5, hasMore: true })
    const page3 = await readList(
      await api.request('/v1/onboarding-links?page=3&limit=2', { key: org.test }),
      'link',
    )
    expect(page3.data.map((l: { name: string }) => l.name)).toEqual(['Link 0'])
    expect(page3.pagination).toEqual({ page: 3, limit: 2, total: 5, hasMore: false })
    const defaults = await readList(
      await api.request('/v1/onboarding-links', { key: org.test }),
      'link',
    )
    expect(defaults.pagination).toMatchObject({ page: 1, limit: 50, total: 5, hasMore: false })
    expect(
      defaults.data.every((l: { hostedUrl: string }) =>
        l.hostedUrl.startsWith(`${api.url}/signup/`),
      ),
    ).toBe(true)
  })

  it('deletes a pending link; it is gone afterwards', async () => {
    const id = (await readData(await create('To delete'), 'link')).id
    const res = await api.request(`/v1/onboarding-links/${id}`, { method: 'DELETE', key: org.test })
    expect(res.status).toBe(204)
    expect((await api.request(`/v1/onboarding-links/${id}`, { key: org.test })).status).toBe(404)
    expect(
      (await api.request(`/v1/onboarding-links/${id}`, { method: 'DELETE', key: org.test })).status,
    ).toBe(404)
  })

  it('refuses to delete a completed link with 409; an expired one is deleted (204)', async () => {
    const completed = (await readData(await create('Completed'), 'link')).id
    await api.core.db
      .updateTable('onboarding_links')
      .set({ status: 'completed', completed_at: new Date().toISOString() })
      .where('id', '=', completed)
      .execute()
    const res = await api.request(`/v1/onboarding-links/${completed}`, {
      method: 'DELETE',
      key: org.test,
    })
    expect(res.status).toBe(409)
    expect((await readError(res)).code).toBe('link_not_pending')

    const expired = await readData(
      await api.request('/v1/onboarding-links', {
        method: 'POST',
        key: org.test,
        json: { name: 'Soon gone', expiresInSeconds: 900 },
      }),
      'link',
    )
    api.database.setNow(new Date(Date.parse(expired.expiresAt) + 1))
    const res2 = await api.request(`/v1/onboarding-links/${expired.id}`, {
      method: 'DELETE',
      key: org.test,
    })
    expect(res2.status).toBe(204)
    expect(
      (await api.request(`/v1/onboarding-links/${expired.id}`, { key: org.test })).status,
    ).toBe(404)
    expect((await api.request(`/signup/${expired.id}`)).status).toBe(404)
    expect((await api.request(`/v1/onboarding-links/${completed}`, { key: org.test })).status).toBe(
      200,
    )
  })

  it('replays the same response for the same Idempotency-Key and body', async () => {
    const first = await create('Once', { 'idempotency-key': 'create-once-1' })
    const second = await create('Once', { 'idempotency-key': 'create-once-1' })
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    const created = z.object({ data: shapes.link })
    expect(await readJson(second, created)).toEqual(await readJson(first, created))
    const list = await readList(
      await api.request('/v1/onboarding-links', { key: org.test }),
      'link',
    )
    expect(list.pagination.total).toBe(1)
  })

  it('answers 409 when an Idempotency-Key is reused with another body', async () => {
    await create('Original', { 'idempotency-key': 'k-2' })
    const res = await create('Different', { 'idempotency-key': 'k-2' })
    expect(res.status).toBe(409)
    expect((await readError(res)).code).toBe('idempotency_key_reused')
    expect(
      (await readList(await api.request('/v1/onboarding-links', { key: org.test }), 'link'))
        .pagination.total,
    ).toBe(1)
  })

  it('creates once when two requests with one key race', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => create('Racing', { 'idempotency-key': 'race-1' })),
    )
    const statuses = results.map((r) => r.status)
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1)
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true)
    expect(
      (await readList(await api.request('/v1/onboarding-links', { key: org.test }), 'link'))
        .pagination.total,
    ).toBe(1)
  })

  it('does not remember a request that failed validation', async () => {
    const bad = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: org.test,
      json: { name: '' },
      headers: { 'idempotency-key': 'fix-and-retry' },
    })
    expect(bad.status).toBe(400)
    const good = await create('Fixed', { 'idempotency-key': 'fix-and-retry' })
    expect(good.status).toBe(201)
  })

  it('keeps idempotency keys per organisation', async () => {
    const other = (await api.createOrganization('Other')).test
    await create('Mine', { 'idempotency-key': 'shared-key' })
    const res = await api.request('/v1/onboarding-links', {
      method: 'POST',
      key: other,
      json: { name: 'Theirs' },
      headers: { 'idempotency-key': 'shared-key' },
    })
    expect(res.status).toBe(201)
    expect((await readData(res, 'link')).name).toBe('Theirs')
  })
})

import { describe, expect, it } from 'vitest'
import { useTestApi } from './support/fixture'
import { type OpenApiDocument, readBody } from './support/responses'

describe('OpenAPI document for phones, WABAs and links', () => {
  const api = useTestApi()

  it('documents the new reads and the link options, and hides the page callback', async () => {
    const res = await api.request('/openapi.json')
    expect(res.status).toBe(200)
    const doc = await readBody<OpenApiDocument>(res)
    for (const path of [
      '/v1/phones',
      '/v1/phones/{id}',
      '/v1/phones/{id}/health',
      '/v1/wabas',
      '/v1/wabas/{id}',
      '/v1/wabas/{id}/connection',
    ]) {
      expect(doc.paths[path]?.get, path).toBeDefined()
    }
    expect(doc.paths['/signup/{id}/callback']).toBeUndefined()
    const create = doc.components.schemas.CreateOnboardingLinkRequest?.properties
    expect(Object.keys(create ?? {})).toEqual(
      expect.arrayContaining(['prefill', 'preVerifiedPhoneIds', 'allowCoexistence']),
    )
    expect(doc.components.schemas.Prefill).toBeDefined()
    expect(doc.components.schemas.PhoneHealth).toBeDefined()
    const docs = await api.request('/docs')
    expect(docs.status).toBe(200)
    expect(await docs.text()).toContain('/v1/wabas/{id}/connection')
  })
})

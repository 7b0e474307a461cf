import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import { readData } from './support/responses'

describe('the app as a whole', () => {
  const api = useTestApi()
  const org = useOrganization(api)

  it('routes through Hono’s RegExpRouter, not the TrieRouter fallback', async () => {
    // A route shape RegExpRouter cannot compile (a static path beside a parameter, the
    // sandbox's Graph routes merged in) silently sends every request through the slower one.
    expect((await api.request('/healthz')).status).toBe(200)
    expect(api.app.router.name).toBe('SmartRouter + RegExpRouter')
  })

  it('still serves the mounted sandbox and the page assets', async () => {
    expect((await api.request('/__sandbox/sdk.js')).status).toBe(200)
    expect((await api.request('/assets/signup.js')).status).toBe(200)
    expect((await api.request('/embed.js')).status).toBe(200)
    expect((await api.request('/__sandbox/no-such-thing')).status).toBe(404)
  })

  it('reads JSON bodies without the Node adapter too (app.request), with the same limit', async () => {
    const post = (body: string) =>
      api.app.request('/v1/onboarding-links', {
        method: 'POST',
        headers: { authorization: `Bearer ${org.test}`, 'content-type': 'application/json' },
        body,
      })
    const created = await post(JSON.stringify({ name: 'In process' }))
    expect(created.status).toBe(201)
    expect((await readData(created, 'link')).name).toBe('In process')
    const tooLarge = await post(
      JSON.stringify({ name: 'Big', metadata: { b: 'x'.repeat(70_000) } }),
    )
    expect(tooLarge.status).toBe(413)
  })
})

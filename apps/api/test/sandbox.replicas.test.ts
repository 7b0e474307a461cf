import { SANDBOX_APP_ID } from '@onboard/meta-sandbox'
import { describe, expect, it } from 'vitest'
import { useOrganization, useTestApi } from './support/fixture'
import type { TestApi } from './support/harness'
import { readBody, readData } from './support/responses'
import { callbackBody, createLink, pageConfig, playSandbox, postCallback } from './support/signup'

/** An error of the sandbox's Graph API, in Meta's shape (not our envelope). */
const readGraphError = (res: Response) => readBody<{ error: Record<string, unknown> }>(res)

// Behind a load balancer the popup's requests and the page's callback land on different
// replicas: test mode works only if the sandbox keeps what it issued in the shared database.
describe('test mode behind a load balancer: two API replicas on one database', () => {
  const replicaA = useTestApi({ scope: 'test' })
  // Started after A, closed before it: its hooks are registered later.
  const replicaB = useTestApi({ replicaOf: replicaA, scope: 'test' })
  const org = useOrganization(replicaA, { scope: 'test' })

  it("completes through B a signup played through A's /__sandbox; A's Graph sees what B did", async () => {
    const link = await createLink(replicaA, org.test)
    const { nonce } = await pageConfig(replicaA, link.id)
    const result = await playSandbox(replicaA, 'success')

    const res = await postCallback(replicaB, link.id, callbackBody(nonce, result))
    expect(res.status).toBe(200)
    expect((await readData(res, 'signupOutcome')).status).toBe('success')

    const got = await readData(
      await replicaA.request(`/v1/onboarding-links/${link.id}`, { key: org.test }),
      'link',
    )
    expect(got).toMatchObject({ status: 'completed', isPhoneRegistered: true })

    // B exchanged the code and registered the number through its own /__sandbox/graph.
    const phoneId = result.event.data.phone_number_id
    const graph = await replicaA.request(
      `/__sandbox/graph/v25.0/${phoneId}?fields=status,platform_type,is_pin_enabled`,
      { headers: { authorization: `Bearer ${replicaA.core.keyring.sandboxSystemUserToken}` } },
    )
    expect(graph.status).toBe(200)
    expect(await readBody<Record<string, unknown>>(graph)).toEqual({
      id: phoneId,
      status: 'CONNECTED',
      platform_type: 'CLOUD_API',
      is_pin_enabled: true,
    })
  })

  it('spends a code once across replicas: of many exchanges at once, through A and B, one wins', async () => {
    const result = await playSandbox(replicaA, 'success')
    const exchange = (api: TestApi) =>
      api.request(
        `/__sandbox/graph/v25.0/oauth/access_token?${new URLSearchParams({
          client_id: SANDBOX_APP_ID,
          client_secret: api.core.keyring.sandboxAppSecret,
          code: result.code ?? '',
        })}`,
      )
    // Enough at once that several read the code as unspent before any spends it.
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => exchange(i % 2 === 0 ? replicaA : replicaB)),
    )
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1)
    for (const refused of answers.filter((answer) => answer.status !== 200)) {
      expect((await readGraphError(refused)).error).toMatchObject({
        code: 100,
        error_subcode: 36009,
      })
    }
    const later = await exchange(replicaA)
    expect((await readGraphError(later)).error).toMatchObject({ code: 100, error_subcode: 36009 })
  })
})

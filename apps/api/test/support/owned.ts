import type { TestOrganization } from './fixture'
import type { TestApi } from './harness'
import { readData } from './responses'
import type { OwnedObjects } from './routes'
import { createSession } from './sessions'
import { completeWith, createLink } from './signup'

/**
 * One of each object a /v1 route names, owned by `org` in test mode: a link completed through
 * the sandbox (so a phone and a WABA), a pending link, a session, an endpoint with a test
 * delivery, and a message sent from the phone.
 */
export async function createOwnedObjects(
  api: TestApi,
  org: TestOrganization,
): Promise<OwnedObjects> {
  const key = org.test
  const completed = await createLink(api, key)
  const { res } = await completeWith(api, completed.id, 'success')
  if (res.status !== 200) throw new Error(`signup: ${res.status}`)
  const link = await readData(
    await api.request(`/v1/onboarding-links/${completed.id}`, { key }),
    'link',
  )
  if (!link.phoneNumberId || !link.wabaId) throw new Error('the signup connected no phone')
  const endpoint = await readData(
    await api.request('/v1/outgoing-webhooks', {
      method: 'POST',
      key,
      json: { url: 'https://a.example/h', events: ['message.sent'] },
    }),
    'endpoint',
  )
  const delivery = await readData(
    await api.request(`/v1/outgoing-webhooks/${endpoint.id}/test`, { method: 'POST', key }),
    'delivery',
  )
  const message = await readData(
    await api.request(`/v1/phones/${link.phoneNumberId}/messages`, {
      method: 'POST',
      key,
      json: { to: '+16505551234', type: 'text', text: { body: 'Hello' } },
    }),
    'sentMessage',
  )
  return {
    link: link.id,
    pendingLink: (await createLink(api, key)).id,
    session: (await createSession(api, key)).id,
    endpoint: endpoint.id,
    delivery: delivery.id,
    phone: link.phoneNumberId,
    waba: link.wabaId,
    message: message.id,
  }
}

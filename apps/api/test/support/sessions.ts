import type { TestApi } from './harness'

export const SESSIONS = '/v1/organization/embedded-signup/sessions'
export const PROFILE_CALLBACK = '/v1/organization/whatsapp/business-profiles/callback'

/** Creates a session with `key` and returns the documented `{id, url, expires_at}`. */
export async function createSession(
  api: TestApi,
  key: string,
  body: Record<string, unknown> = {},
): Promise<{ id: string; url: string; expires_at: string }> {
  const res = await api.request(SESSIONS, {
    method: 'POST',
    key,
    json: { redirect_uri: 'https://example.com/whatsapp/callback', state: 'csrf-123', ...body },
  })
  if (res.status !== 201) throw new Error(`create session: ${res.status} ${await res.text()}`)
  return res.json()
}

export async function readSession(api: TestApi, key: string, id: string) {
  const res = await api.request(`${SESSIONS}/${id}`, { key })
  if (res.status !== 200) throw new Error(`get session: ${res.status} ${await res.text()}`)
  return res.json()
}

/** The query string of a redirect URL as a plain object. */
export function paramsOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams)
}

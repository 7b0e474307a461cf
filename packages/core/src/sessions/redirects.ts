import type { SignupSessionRow } from '@onboard/db'
import { documentedErrorCode } from './errors'

/**
 * `redirect_uri?status=success&state=…` or `…status=error&state=…&error=<documented code>`.
 * Query strings already on the URI are kept; app schemes (`myapp://whatsapp/callback`) work
 * because the URL parser keeps their authority and path.
 */
function withParams(session: SignupSessionRow, params: Record<string, string>): string {
  const url = new URL(session.redirect_uri)
  url.searchParams.set('status', params.status ?? 'error')
  url.searchParams.set('state', session.state)
  if (params.error) url.searchParams.set('error', params.error)
  return url.toString()
}

export function sessionSuccessRedirect(session: SignupSessionRow): string {
  return withParams(session, { status: 'success' })
}

export function sessionErrorRedirect(session: SignupSessionRow, code: string): string {
  return withParams(session, { status: 'error', error: documentedErrorCode(code) })
}

import { type SignupSessionRow, sessionsStore } from '@onboard/db'
import type { CoreContext } from '../context'
import { parseJson } from '../shared/json'
import type { Prefill } from '../shared/prefill'
import type { SignupTarget } from '../signup-target'
import { documentedErrorCode, sessionErrors } from './errors'
import { sessionErrorRedirect, sessionSuccessRedirect } from './redirects'
import { effectiveSessionStatus } from './status'
import { sessionSubject } from './subject'

/** Where the page of a session that can no longer be used sends the end-user back. */
function exitRedirect(session: SignupSessionRow, now: Date): string | null {
  switch (effectiveSessionStatus(session, now)) {
    case 'completed':
      return sessionSuccessRedirect(session)
    case 'expired':
      return sessionErrorRedirect(session, 'session_expired')
    case 'cancelled':
    case 'failed':
      return sessionErrorRedirect(session, session.error_code ?? 'signup_failed')
    default:
      return null
  }
}

/**
 * A session behind the hosted page. Unlike a link, any outcome ends it: the end-user is sent
 * back to `redirect_uri` with the result, and the customer starts a new session to retry.
 */
export function sessionTarget(
  ctx: CoreContext,
  session: SignupSessionRow,
  organizationName: string,
): SignupTarget {
  const prefill = parseJson<Prefill>(session.prefill) ?? {}
  return {
    kind: 'session',
    id: session.id,
    mode: session.mode,
    name: prefill.business?.name ?? organizationName,
    status: effectiveSessionStatus(session, ctx.now()),
    login: { prefill, preVerifiedPhoneIds: [], allowCoexistence: false },
    subject: sessionSubject(session, { via: 'redirect', from: ['pending'] }),
    successRedirect: () => sessionSuccessRedirect(session),
    errorRedirect: (error) => sessionErrorRedirect(session, error.code),
    exitRedirect: () => exitRedirect(session, ctx.now()),
    returnsOnCancel: true,
    recordFinish: (c, finish) =>
      sessionsStore.recordSessionFinish(c.db, session.id, finish, c.now().toISOString()),
    recordUnsuccessful: async (c, facts, error) => {
      await sessionsStore.endPendingSession(c.db, session.id, {
        status: facts.outcome === 'cancelled' ? 'cancelled' : 'failed',
        errorCode: documentedErrorCode(error.code),
        errorMessage: error.message,
        at: c.now().toISOString(),
      })
    },
    expiredError: sessionErrors.expired,
    alreadyCompletedError: sessionErrors.alreadyCompleted,
    endedError: sessionErrors.ended,
  }
}

/** The session behind a hosted page id, in any organisation: the id is the page's only key. */
export async function findSessionTarget(
  ctx: CoreContext,
  id: string,
): Promise<SignupTarget | undefined> {
  if (!/^wss_[0-9A-Za-z]{1,64}$/.test(id)) return undefined
  const found = await sessionsStore.findSessionWithOrganizationName(ctx.db, id)
  if (!found) return undefined
  return sessionTarget(ctx, found.session, found.organizationName)
}

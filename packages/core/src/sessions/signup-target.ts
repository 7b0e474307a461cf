import { type Db, type SignupSessionRow, sessionsStore } from '@onboard/db'
import type { CoreContext } from '../context'
import { errors } from '../errors'
import { parseJson } from '../shared/json'
import type { Prefill } from '../shared/prefill'
import {
  type ConnectionIds,
  type HostedSide,
  type HostedSignupTarget,
  type MarkResult,
  type SignupTarget,
  whyNotMarked,
} from '../signup-target'
import { documentedErrorCode, sessionErrors } from './errors'
import { sessionErrorRedirect, sessionSuccessRedirect } from './redirects'
import { effectiveSessionStatus } from './status'

/** The session behind a hosted page id, in any organisation: the id is the page's only key. */
export async function findSessionTarget(
  ctx: CoreContext,
  id: string,
): Promise<HostedSignupTarget | undefined> {
  if (!/^wss_[0-9A-Za-z]{1,64}$/.test(id)) return undefined
  const found = await sessionsStore.findSessionWithOrganizationName(ctx.db, id)
  if (!found) return undefined
  return sessionTarget(ctx, found.session, found.organizationName)
}

/**
 * A session completed by its operator from a WABA id (POST …/sessions/:id/complete). Expired
 * and failed sessions can be recovered too: the user finished on Meta's side and the
 * redirect broke, which is what that endpoint is for.
 */
export function manualSessionTarget(session: SignupSessionRow): SignupTarget {
  return completionSide(session, { via: 'manual', from: ['pending', 'failed'] })
}

/**
 * What the completion writes for a session. `from` lists the stored statuses it may be
 * completed from: the hosted callback only completes a pending session.
 */
function completionSide(
  session: SignupSessionRow,
  options: { via: 'redirect' | 'manual'; from: SignupSessionRow['status'][] },
): SignupTarget {
  return {
    id: session.id,
    tenant: { organizationId: session.organization_id, mode: session.mode },
    metadata: session.metadata,
    externalId: null,
    onboardingLinkId: null,
    preVerifiedPhoneIds: [],
    eventFields: {
      signupSessionId: session.id,
      metadata: parseJson<Record<string, unknown>>(session.metadata),
    },
    markCompleted: async (trx: Db, ids: ConnectionIds): Promise<MarkResult> => {
      const marked = await sessionsStore.markSessionCompleted(trx, session.id, {
        from: options.from,
        via: options.via,
        wabaId: ids.wabaId,
        phoneId: ids.phoneId,
        at: ids.now,
      })
      if (marked) return 'marked'
      return whyNotMarked(await sessionsStore.sessionExists(trx, session.id))
    },
    alreadyCompleted: sessionErrors.alreadyCompleted,
    notFound: () => errors.notFound('signup session'),
  }
}

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
function sessionTarget(
  ctx: CoreContext,
  session: SignupSessionRow,
  organizationName: string,
): HostedSignupTarget {
  const prefill = parseJson<Prefill>(session.prefill) ?? {}
  const hosted: HostedSide = {
    kind: 'session',
    id: session.id,
    mode: session.mode,
    name: prefill.business?.name ?? organizationName,
    // Sessions have no language of their own: ?lang= and Accept-Language choose.
    locale: null,
    status: effectiveSessionStatus(session, ctx.now()),
    login: { prefill, allowCoexistence: false },
    successRedirect: () => sessionSuccessRedirect(session),
    errorRedirect: (error) => sessionErrorRedirect(session, error.code),
    exitRedirect: () => exitRedirect(session, ctx.now()),
    returnsOnCancel: true,
    embedOrigins: [],
    recordFinish: (c, finish) =>
      sessionsStore.recordSessionFinish(c.db, session.id, finish, c.now().toISOString()),
    recordUnsuccessful: async (c, attempt, error) => {
      await sessionsStore.endPendingSession(c.db, session.id, {
        status: attempt.outcome === 'cancelled' ? 'cancelled' : 'failed',
        errorCode: documentedErrorCode(error.code),
        errorMessage: error.message,
        at: c.now().toISOString(),
      })
    },
    expiredError: sessionErrors.expired,
    endedError: sessionErrors.ended,
  }
  return Object.assign(completionSide(session, { via: 'redirect', from: ['pending'] }), hosted)
}

import { type Db, type SignupSessionRow, sessionsStore } from '@onboard/db'
import { errors } from '../errors'
import { parseJson } from '../shared/json'
import {
  type CompletionSubject,
  type ConnectionIds,
  type MarkResult,
  whyNotMarked,
} from '../signup-completion/subject'
import { sessionErrors } from './errors'

/**
 * A session as the completion core sees it. `from` lists the stored statuses it may be
 * completed from: the hosted callback only completes a pending session; a manual completion
 * may also recover a failed one (the user finished on Meta's side, the redirect broke).
 */
export function sessionSubject(
  session: SignupSessionRow,
  options: { via: 'redirect' | 'manual'; from: SignupSessionRow['status'][] },
): CompletionSubject {
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

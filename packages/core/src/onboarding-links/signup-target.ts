import { type Db, linksStore, type OnboardingLinkRow } from '@onboard/db'
import type { CoreContext } from '../context'
import { errors } from '../errors'
import { createOutgoingWebhookForLink } from '../outgoing-webhooks/from-link'
import type { Keyring } from '../secrets'
import { parseJson } from '../shared/json'
import type { Prefill } from '../shared/prefill'
import { signupErrors } from '../signup-completion/errors'
import {
  type CompletionSubject,
  type ConnectionIds,
  whyNotMarked,
} from '../signup-completion/subject'
import type { SignupTarget } from '../signup-target'
import { attemptRow, recordUnsuccessfulAttempt } from './attempts'
import { errorRedirect, successRedirect } from './redirects'
import { effectiveStatus } from './serialize'

/** The link behind a hosted page, in any organisation: the page id is the only key it has. */
export async function findLinkForPage(
  ctx: CoreContext,
  id: string,
): Promise<OnboardingLinkRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  return linksStore.findLink(ctx.db, id)
}

/** A link as the completion core sees it: its metadata, webhook and event fields. */
export function linkSubject(
  link: OnboardingLinkRow,
  keyring: Keyring,
  now: () => Date,
): CompletionSubject {
  return {
    id: link.id,
    tenant: { organizationId: link.organization_id, mode: link.mode },
    metadata: link.metadata,
    externalId: link.external_id,
    onboardingLinkId: link.id,
    preVerifiedPhoneIds: parseJson<string[]>(link.pre_verified_phone_ids) ?? [],
    eventFields: { onboardingLinkId: link.id, externalId: link.external_id },
    markCompleted: async (trx: Db, ids: ConnectionIds) => {
      const marked = await linksStore.markLinkCompleted(trx, link.id, {
        wabaId: ids.wabaId,
        phoneId: ids.phoneId,
        at: ids.now,
      })
      if (!marked) return whyNotMarked(await linksStore.linkExists(trx, link.id))
      const completed = {
        outcome: 'completed' as const,
        event: ids.metaEvent,
        step: null,
        errorCode: null,
        errorMessage: null,
        metaSessionId: ids.metaSessionId,
      }
      await linksStore.insertSignupAttempt(trx, attemptRow(link, completed, ids.now))
      return 'marked'
    },
    // The link's own webhook first, so it receives this very event when it subscribes to it.
    beforeEvent: async (trx: Db, ids: ConnectionIds) => {
      await createOutgoingWebhookForLink(trx, {
        link,
        wabaId: ids.wabaId,
        keyring,
        now: now(),
      })
    },
    alreadyCompleted: signupErrors.linkCompleted,
    notFound: () => errors.notFound('onboarding link'),
  }
}

export function linkTarget(ctx: CoreContext, link: OnboardingLinkRow): SignupTarget {
  return {
    kind: 'link',
    id: link.id,
    mode: link.mode,
    name: link.name,
    status: effectiveStatus(link, ctx.now()),
    login: {
      prefill: parseJson<Prefill>(link.prefill) ?? {},
      preVerifiedPhoneIds: parseJson<string[]>(link.pre_verified_phone_ids) ?? [],
      allowCoexistence: link.allow_coexistence === 1,
    },
    subject: linkSubject(link, ctx.keyring, ctx.now),
    successRedirect: () => successRedirect(link),
    errorRedirect: (error) => errorRedirect(link, error),
    exitRedirect: () => null,
    returnsOnCancel: false,
    recordFinish: (c, finish) =>
      linksStore.recordLinkFinish(c.db, link.id, finish, c.now().toISOString()),
    recordUnsuccessful: (c, facts) => recordUnsuccessfulAttempt(c, link, facts),
    expiredError: signupErrors.linkExpired,
    alreadyCompletedError: signupErrors.linkCompleted,
    endedError: signupErrors.linkExpired,
  }
}

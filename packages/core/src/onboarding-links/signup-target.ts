import { type Db, linksStore, type OnboardingLinkRow } from '@onboard/db'
import type { CoreContext } from '../context'
import { errors } from '../errors'
import { createOutgoingWebhookForLink } from '../outgoing-webhooks/from-link'
import { parseJson } from '../shared/json'
import type { Prefill } from '../shared/prefill'
import {
  type ConnectionIds,
  type HostedSide,
  type HostedSignupTarget,
  type SignupTarget,
  whyNotMarked,
} from '../signup-target'
import { attemptRow, recordUnsuccessfulAttempt } from './attempts'
import { linkErrors } from './errors'
import { recordFinishOfLink } from './finish'
import { errorRedirect, successRedirect } from './redirects'
import { effectiveStatus } from './serialize'

/** The link behind a hosted page, in any organisation: the page id is the only key it has. */
export async function findLinkTarget(
  ctx: CoreContext,
  id: string,
): Promise<HostedSignupTarget | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  const link = await linksStore.findLink(ctx.db, id)
  return link ? linkTarget(ctx, link) : undefined
}

/**
 * A link completed with nobody on its page (Meta's install for the WABA its page's FINISH
 * named): the same writes as the page's callback.
 */
export function unattendedLinkTarget(ctx: CoreContext, link: OnboardingLinkRow): SignupTarget {
  return completionSide(link, ctx)
}

/** What the completion writes for a link: the link completed with its attempt, its webhook. */
function completionSide(link: OnboardingLinkRow, ctx: CoreContext): SignupTarget {
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
        keyring: ctx.keyring,
        now: ctx.now(),
      })
    },
    alreadyCompleted: linkErrors.completed,
    notFound: () => errors.notFound('onboarding link'),
  }
}

/**
 * A link as the hosted page and the completion see it. Unlike a session, a failed or
 * cancelled try leaves it pending, so the end-user can try again until it expires.
 */
function linkTarget(ctx: CoreContext, link: OnboardingLinkRow): HostedSignupTarget {
  const hosted: HostedSide = {
    kind: 'link',
    id: link.id,
    mode: link.mode,
    name: link.name,
    locale: link.locale,
    status: effectiveStatus(link, ctx.now()),
    login: {
      prefill: parseJson<Prefill>(link.prefill) ?? {},
      allowCoexistence: link.allow_coexistence === 1,
    },
    successRedirect: () => successRedirect(link),
    errorRedirect: (error) => errorRedirect(link, error),
    // An expired link's page offers the way back, as a failed try's redirect would.
    exitRedirect: () =>
      effectiveStatus(link, ctx.now()) === 'expired'
        ? errorRedirect(link, linkErrors.expired())
        : null,
    returnsOnCancel: false,
    embedOrigins: parseJson<string[]>(link.allowed_origins) ?? [],
    recordFinish: (c, finish) => recordFinishOfLink(c, link.id, finish),
    recordUnsuccessful: (c, attempt, error) => recordUnsuccessfulAttempt(c, link, attempt, error),
    expiredError: linkErrors.expired,
    endedError: linkErrors.expired,
  }
  return Object.assign(completionSide(link, ctx), hosted)
}

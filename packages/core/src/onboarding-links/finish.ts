import { linksStore } from '@onboard/db'
import type { CoreContext } from '../context'
import type { FinishIds } from '../signup-target'

/**
 * Different WABAs one link's pages may name. A FINISH is what a browser said: a person may
 * press Connect again and finish another WABA, but a page that keeps naming new ones (or the
 * same one, to keep its time fresh) is trying to be the sign-up of a WABA Meta installed for
 * someone else (signup-completion/unattended.ts compares the FINISH's time with the install's).
 */
const MAX_FINISH_CHANGES = 3

/** Keeps the FINISH a link's page saw, from its activity report or its callback. */
export function recordFinishOfLink(ctx: CoreContext, linkId: string, finish: FinishIds) {
  return linksStore.recordLinkFinish(
    ctx.db,
    linkId,
    { ...finish, event: finish.event ?? null },
    { at: ctx.now().toISOString(), maxChanges: MAX_FINISH_CHANGES },
  )
}

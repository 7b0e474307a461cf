import { type CoreContext, type MetaApps, signupCompletion } from '@onboard/core'
import type { Logger } from 'pino'
import { repeatEvery } from '../repeat'

type Completions = signupCompletion.UnattendedCompletion[]

/** One line per link that completed or failed; skips are the normal case and stay quiet. */
function logCompletions(logger: Logger, completions: Completions): void {
  for (const completion of completions) {
    if (completion.outcome === 'completed') {
      logger.info({ linkId: completion.linkId }, 'completed a sign-up its page never called back')
    } else if (completion.outcome === 'failed') {
      logger.warn(
        { linkId: completion.linkId, reason: completion.reason },
        'completing a sign-up from its install failed; the next tick tries again',
      )
    }
  }
}

/**
 * After a receipt recorded PARTNER_APP_INSTALLED for these WABAs: the links whose page saw
 * Meta's FINISH for one of them complete now. Never throws: the receipt is committed, and
 * the sweeper tries again whatever fails here.
 */
export function completeSignupsOnInstall(options: {
  core: CoreContext
  metaApps: MetaApps
  logger: Logger
}) {
  return async (input: { mode: 'live' | 'test'; metaWabaIds: string[] }): Promise<void> => {
    try {
      const completions = await signupCompletion.completeLinksForInstalls(
        options.core,
        options.metaApps,
        input,
      )
      logCompletions(options.logger, completions)
    } catch (error) {
      options.logger.warn(
        { reason: (error as Error).message },
        'completing sign-ups from an install failed',
      )
    }
  }
}

/**
 * The safety net, a tick of the repeat loop: links whose FINISH and install are both on
 * record but that nobody completed (the FINISH came after the install, the page's grace had
 * not passed yet, or a worker crashed between the receipt and the completion).
 */
export function startSignupSweeper(options: {
  core: CoreContext
  metaApps: MetaApps
  logger: Logger
  intervalMs: number
}): { stop: () => Promise<void> } {
  return repeatEvery(options.intervalMs, async () => {
    try {
      const completions = await signupCompletion.completeAwaitingLinks(
        options.core,
        options.metaApps,
      )
      logCompletions(options.logger, completions)
    } catch (error) {
      options.logger.warn({ reason: (error as Error).message }, 'the sign-up sweeper failed')
    }
  })
}

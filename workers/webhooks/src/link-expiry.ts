import { type CoreContext, links } from '@onboard/core'
import type { Logger } from 'pino'
import { repeatEvery } from './repeat'

export interface LinkExpiryOptions {
  core: CoreContext
  logger: Logger
  intervalMs: number
  /** Links claimed per transaction: each batch is one short write. */
  batchSize?: number
  /** Batches per tick, so one tick stays short and the API's writes interleave. */
  maxBatches?: number
}

/**
 * One pass: onboarding_link.expired for every pending link past its expiry not yet
 * announced, in bounded batches; whatever is left waits for the next tick. Safe beside
 * other workers doing the same (each link is claimed once). Returns how many were raised.
 */
export async function raiseExpiredLinksOnce(options: LinkExpiryOptions): Promise<number> {
  const batchSize = options.batchSize ?? 200
  const maxBatches = options.maxBatches ?? 10
  let raised = 0
  for (let batch = 0; batch < maxBatches; batch++) {
    const claimed = await links.raiseExpiredLinkEvents(options.core, { batchSize })
    raised += claimed
    if (claimed < batchSize) break
  }
  return raised
}

/** Runs raiseExpiredLinksOnce every interval until stopped; a failing tick waits for the next. */
export function startLinkExpiry(options: LinkExpiryOptions): { stop: () => Promise<void> } {
  const tick = async () => {
    try {
      const raised = await raiseExpiredLinksOnce(options)
      if (raised > 0) options.logger.info({ raised }, 'raised onboarding_link.expired')
    } catch (error) {
      options.logger.warn({ reason: (error as Error).message }, 'the link expiry tick failed')
    }
  }
  return repeatEvery(options.intervalMs, tick, { immediately: true })
}

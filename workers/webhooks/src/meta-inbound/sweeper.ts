import { type CoreContext, metaWebhooks } from '@onboard/core'
import type { Logger } from 'pino'
import { repeatEvery } from '../repeat'
import type { ProcessReceipt } from './processor'

export interface SweeperOptions {
  core: CoreContext
  process: ProcessReceipt
  logger: Logger
  intervalMs: number
  /** Receipts handled per tick, so one tick stays short. */
  batchSize?: number
}

/**
 * Processes receipts left pending for longer than one interval: their job never reached
 * Redis (it was down when the API stored them) or was lost. Same pattern as the outbox relay.
 */
async function sweepOnce(options: SweeperOptions): Promise<number> {
  const ids = await metaWebhooks.findPendingReceipts(options.core, {
    receivedBefore: new Date(Date.now() - options.intervalMs),
    limit: options.batchSize ?? 100,
  })
  let processed = 0
  for (const id of ids) {
    // A failure is already counted on the receipt; the next tick tries again.
    const result = await options.process(id).catch(() => null)
    if (result?.outcome === 'processed') processed += 1
  }
  return processed
}

export function startSweeper(options: SweeperOptions): { stop: () => Promise<void> } {
  const tick = async () => {
    try {
      const swept = await sweepOnce(options)
      if (swept > 0) options.logger.info({ swept }, 'processed Meta webhook receipts left pending')
    } catch (error) {
      options.logger.warn({ reason: (error as Error).message }, 'the Meta receipt sweeper failed')
    }
  }
  return repeatEvery(options.intervalMs, tick)
}

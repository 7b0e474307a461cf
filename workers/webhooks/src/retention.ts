import {
  type Config,
  type CoreContext,
  messages,
  metaWebhooks,
  purgeExpiredIdempotencyKeys,
} from '@onboard/core'
import type { Logger } from 'pino'
import { repeatEvery } from './repeat'

export interface RetentionOptions {
  core: CoreContext
  config: Config
  logger: Logger
  intervalMs: number
  /** Rows deleted per statement: each delete is one short write transaction. */
  batchSize?: number
  /** Batches per table per tick, so one tick stays short and the API's writes interleave. */
  maxBatches?: number
}

export interface Purged {
  metaReceipts: number
  metaItems: number
  /** Statuses of messages not sent through us (those of ours stay with their message). */
  messageStatuses: number
  idempotencyKeys: number
}

/**
 * Deletes what is kept only for a while: processed Meta webhook receipts and their dedup items,
 * and statuses of messages not sent through us, after META_WEBHOOK_RECEIPT_RETENTION; idempotency records after their 24 h window. Bounded
 * batches; whatever is left waits for the next tick.
 */
export async function purgeExpiredOnce(options: RetentionOptions): Promise<Purged> {
  const batchSize = options.batchSize ?? 500
  const maxBatches = options.maxBatches ?? 20
  const purged: Purged = { metaReceipts: 0, metaItems: 0, messageStatuses: 0, idempotencyKeys: 0 }
  for (let batch = 0; batch < maxBatches; batch++) {
    const meta = await metaWebhooks.purgeOldReceipts(options.core, {
      retentionMs: options.config.meta.receiptRetentionMs,
      batchSize,
    })
    purged.metaReceipts += meta.receipts
    purged.metaItems += meta.items
    if (meta.receipts < batchSize && meta.items < batchSize) break
  }
  for (let batch = 0; batch < maxBatches; batch++) {
    const deleted = await messages.purgeUnclaimedStatuses(options.core, {
      retentionMs: options.config.meta.receiptRetentionMs,
      batchSize,
    })
    purged.messageStatuses += deleted
    if (deleted < batchSize) break
  }
  for (let batch = 0; batch < maxBatches; batch++) {
    const deleted = await purgeExpiredIdempotencyKeys(options.core, { batchSize })
    purged.idempotencyKeys += deleted
    if (deleted < batchSize) break
  }
  return purged
}

/** Runs purgeExpiredOnce every interval until stopped; a failing tick waits for the next. */
export function startRetention(options: RetentionOptions): { stop: () => Promise<void> } {
  const tick = async () => {
    try {
      const purged = await purgeExpiredOnce(options)
      const total =
        purged.metaReceipts + purged.metaItems + purged.messageStatuses + purged.idempotencyKeys
      if (total > 0) {
        options.logger.info(purged, 'purged records past their retention')
      }
    } catch (error) {
      options.logger.warn({ reason: (error as Error).message }, 'the retention purge failed')
    }
  }
  return repeatEvery(options.intervalMs, tick, { immediately: true })
}

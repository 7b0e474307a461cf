import { type CoreContext, metaWebhooks } from '@onboard/core'
import type { Mode } from '@onboard/db'
import type { Logger } from 'pino'
import type { WorkerMetrics } from '../metrics'

export type ProcessReceipt = (receiptId: string) => Promise<metaWebhooks.ProcessedReceipt>

/**
 * One receipt: its events and deliveries commit in one transaction, and core hands the
 * deliveries to the process's queue. A failure is counted on the receipt and rethrown, so the job
 * retries; after too many the receipt is marked failed and left alone.
 */
export function createReceiptProcessor(options: {
  core: CoreContext
  logger: Logger
  metrics?: Pick<WorkerMetrics, 'receipts' | 'receiptDuration'>
  /** Called with the WABAs a processed receipt recorded installs for; never throws. */
  onInstalls?: (input: { mode: Mode; metaWabaIds: string[] }) => Promise<void>
}): ProcessReceipt {
  const { core, logger, metrics } = options
  return async (receiptId) => {
    let processed: metaWebhooks.ProcessedReceipt
    const stopTimer = metrics?.receiptDuration.startTimer()
    try {
      processed = await metaWebhooks.processReceipt(core, receiptId)
      stopTimer?.()
      metrics?.receipts.inc({ result: processed.outcome })
    } catch (error) {
      stopTimer?.()
      metrics?.receipts.inc({ result: 'error' })
      const reason = error instanceof Error ? error.message : String(error)
      const next = await metaWebhooks.recordReceiptFailure(core, receiptId, reason)
      logger.error({ receiptId, err: error, next }, 'processing a Meta webhook receipt failed')
      throw error
    }
    if (processed.mode && processed.installedWabaIds.length > 0) {
      // After the receipt's commit: sign-ups that awaited these installs complete now.
      await options.onInstalls?.({ mode: processed.mode, metaWabaIds: processed.installedWabaIds })
    }
    if (processed.outcome === 'processed') {
      logger.debug(
        { receiptId, events: processed.eventsRecorded, notes: processed.notes },
        'processed a Meta webhook receipt',
      )
    }
    return processed
  }
}

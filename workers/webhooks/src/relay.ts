import { type CoreContext, outgoingWebhooks } from '@onboard/core'
import type { DeliveryQueue } from '@onboard/queue'
import type { Logger } from 'pino'
import type { WorkerMetrics } from './metrics'
import { repeatEvery } from './repeat'

export interface RelayOptions {
  core: CoreContext
  queue: DeliveryQueue
  logger: Logger
  intervalMs: number
  /** Rows read and jobs added per round trip. */
  batchSize?: number
  /** At most this many deliveries are looked at per tick, so one tick stays short. */
  maxPerTick?: number
  /** Where each tick reports how far behind the oldest pending delivery is. */
  metrics?: Pick<WorkerMetrics, 'relayOldestOverdue' | 'relayLastTick'>
}

/**
 * The outbox relay. Every pending delivery whose time has passed (by more than one
 * interval, which leaves the API its moment to enqueue after commit) is added again with
 * `jobId` = delivery id. BullMQ ignores an id it already holds, so only deliveries whose
 * job never reached Redis — Redis was down, a process died between commit and enqueue,
 * Redis lost its data — gain a job.
 */
async function relayOnce(options: RelayOptions): Promise<number> {
  const batchSize = options.batchSize ?? 500
  const maxPerTick = options.maxPerTick ?? 20_000
  const dueBefore = new Date(Date.now() - options.intervalMs)
  let after: outgoingWebhooks.OverdueDelivery | undefined
  let seen = 0
  let oldestDueAt: string | undefined
  while (seen < maxPerTick) {
    const rows = await outgoingWebhooks.findOverdueDeliveries(options.core, {
      dueBefore,
      limit: batchSize,
      after,
    })
    if (rows.length === 0) break
    oldestDueAt ??= rows[0]?.nextAttemptAt
    await options.queue.enqueue(rows.map((row) => row.id))
    seen += rows.length
    after = rows[rows.length - 1]
    if (rows.length < batchSize) break
  }
  // Oldest first: the first row read is the one waiting longest.
  const now = Date.now()
  options.metrics?.relayOldestOverdue.set(
    oldestDueAt === undefined ? 0 : Math.max(0, (now - Date.parse(oldestDueAt)) / 1000),
  )
  options.metrics?.relayLastTick.set(now / 1000)
  return seen
}

/** Runs relayOnce every interval until stopped; a failing tick (Redis away) waits for the next. */
export function startRelay(options: RelayOptions): { stop: () => Promise<void> } {
  let failing = false
  const tick = async () => {
    try {
      const seen = await relayOnce(options)
      if (failing) options.logger.info({}, 'The outbox relay is enqueueing again')
      failing = false
      if (seen > 0) options.logger.debug({ seen }, 'relayed overdue deliveries')
    } catch (error) {
      if (!failing) {
        options.logger.warn(
          { reason: (error as Error).message },
          'The outbox relay cannot enqueue right now; pending deliveries wait in the database',
        )
      }
      failing = true
    }
  }
  return repeatEvery(options.intervalMs, tick, { immediately: true })
}

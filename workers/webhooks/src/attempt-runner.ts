import { type CoreContext, outgoingWebhooks } from '@onboard/core'
import { postWebhook, webhookHeaders } from '@onboard/webhooks'
import type { Agent } from 'undici'
import { createBatcher } from './batcher'

export type AttemptOutcome =
  | outgoingWebhooks.SettledAttempt
  /** No such delivery (its endpoint was deleted). */
  | { kind: 'missing' }
  /** Already delivered or failed: a duplicate job sends nothing. */
  | { kind: 'skipped' }
  /** Picked up before its time (a duplicate job): wait until the delivery is due. */
  | { kind: 'not_due'; delayMs: number }

export interface AttemptRunnerOptions {
  core: CoreContext
  agent: Agent
  retryDelaysMs: readonly number[]
  disableAfterMs: number
  timeoutMs: number
  /** Most attempts recorded in one transaction (group commit). */
  maxAttemptsPerCommit?: number
  /** Most deliveries read in one query (group read). */
  maxDeliveriesPerRead?: number
}

/** A job that runs up to this early still goes ahead (timers and clocks are not exact). */
const EARLY_TOLERANCE_MS = 1000

/**
 * One delivery attempt: read the delivery, endpoint and event in one query (shared with
 * the other jobs starting at the same moment: group read), sign with a
 * fresh timestamp (the `webhook-id` never changes), POST, then record the attempt and
 * what follows in one short transaction, shared with the other attempts finishing at the
 * same moment (group commit). It resolves only once the attempt is committed. Nothing is
 * awaited on the network while a transaction is open.
 */
export function createAttemptRunner(options: AttemptRunnerOptions) {
  const { core } = options
  const policy = { retryDelaysMs: options.retryDelaysMs, disableAfterMs: options.disableAfterMs }
  const attempts = createBatcher({
    runBatch: (batch: readonly outgoingWebhooks.AttemptToSettle[]) =>
      outgoingWebhooks.settleAttempts(core, batch, policy),
    maxBatch: options.maxAttemptsPerCommit ?? 100,
  })
  // The same batching for reads: the jobs that start in one turn of the event loop (BullMQ
  // hands out the next jobs as the previous ones complete, together) are read in one query.
  const reads = createBatcher({
    runBatch: (deliveryIds: readonly string[]) =>
      outgoingWebhooks.loadDeliveryWorks(core, deliveryIds),
    maxBatch: options.maxDeliveriesPerRead ?? 100,
  })
  return async function deliver(deliveryId: string): Promise<AttemptOutcome> {
    const work = await reads.run(deliveryId)
    if (!work) return { kind: 'missing' }
    if (work.status !== 'pending') return { kind: 'skipped' }
    const dueInMs = work.nextAttemptAt ? Date.parse(work.nextAttemptAt) - Date.now() : 0
    if (dueInMs > EARLY_TOLERANCE_MS) return { kind: 'not_due', delayMs: dueInMs }
    if (!work.endpointEnabled) {
      await outgoingWebhooks.failDeliveryOfDisabledEndpoint(core, work)
      return { kind: 'skipped' }
    }
    const attemptedAt = new Date()
    const headers = webhookHeaders({
      id: work.deliveryId,
      timestamp: Math.floor(attemptedAt.getTime() / 1000),
      body: work.payload,
      secrets: work.secrets,
    })
    const result = await postWebhook(options.agent, {
      url: work.url,
      headers,
      body: work.payload,
      timeoutMs: options.timeoutMs,
    })
    return attempts.run({ work, result, attemptedAt })
  }
}

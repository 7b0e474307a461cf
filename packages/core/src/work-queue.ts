/**
 * "After commit" (DESIGN §3, step 6): where core hands the work it has just committed. The
 * process wires in the BullMQ queue (`@onboard/queue`); core never imports it. Enqueueing is
 * an optimisation, never a condition: an implementation does not throw, and anything that did
 * not get through is found in the database by the worker's relay (deliveries) and sweeper
 * (Meta receipts).
 */
export interface WorkQueue {
  /** Committed outbox deliveries, to send on their schedule. */
  deliveries: (deliveryIds: readonly string[]) => Promise<void>
  /** A person's replay: send this delivery now, even if a retry of it is waiting. */
  deliveryNow: (deliveryId: string) => Promise<void>
  /** A stored Meta webhook receipt, to process. */
  metaReceipt: (receiptId: string) => Promise<void>
}

/**
 * For processes without a queue (the CLI, migrations): nothing is enqueued, and the worker's
 * relay and sweeper pick the committed rows up within seconds.
 */
export const relayOnlyQueue: WorkQueue = {
  deliveries: async () => {},
  deliveryNow: async () => {},
  metaReceipt: async () => {},
}

/** A WorkQueue that remembers what it was handed, for tests that look at the hand-off. */
export function recordingQueue(): WorkQueue & {
  handed: { deliveries: string[]; now: string[]; receipts: string[] }
} {
  const handed = { deliveries: [] as string[], now: [] as string[], receipts: [] as string[] }
  return {
    handed,
    deliveries: async (ids) => {
      handed.deliveries.push(...ids)
    },
    deliveryNow: async (id) => {
      handed.now.push(id)
    },
    metaReceipt: async (id) => {
      handed.receipts.push(id)
    },
  }
}

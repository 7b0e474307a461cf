/**
 * Items that arrive while the previous batch runs (or in the same turn of the event loop)
 * are handled together. Group commit: a commit costs about as much for 50 rows as for one,
 * and it was the largest cost of a webhook delivery (its attempt). The worker also uses it
 * for group read (the jobs starting together read their deliveries in one query).
 *
 * `run` resolves only after the batch holding its item is done — for a write, committed —
 * so nothing is acknowledged before it is recorded; if the process dies first, the caller
 * never saw success. A batch is all or nothing: when it fails, every item is tried again
 * alone, so one bad item fails only its own call.
 */
export interface BatcherOptions<Item, Result> {
  /** Handles the items at once (one transaction, one query); one result per item, in order. */
  runBatch: (items: readonly Item[]) => Promise<readonly Result[]>
  /** Most items per batch, so one commit stays short. */
  maxBatch: number
}

interface Waiting<Item, Result> {
  item: Item
  resolve: (result: Result) => void
  reject: (error: unknown) => void
}

export function createBatcher<Item, Result>(options: BatcherOptions<Item, Result>) {
  const waiting: Waiting<Item, Result>[] = []
  let draining = false

  async function commit(batch: Waiting<Item, Result>[]): Promise<void> {
    try {
      const results = await options.runBatch(batch.map((entry) => entry.item))
      if (results.length !== batch.length) {
        throw new Error(`runBatch returned ${results.length} results for ${batch.length} items`)
      }
      for (const [index, entry] of batch.entries()) entry.resolve(results[index] as Result)
    } catch (error) {
      const [only] = batch
      if (batch.length === 1 && only) {
        only.reject(error)
        return
      }
      for (const entry of batch) await commit([entry])
    }
  }

  async function drain(): Promise<void> {
    try {
      while (waiting.length > 0) await commit(waiting.splice(0, options.maxBatch))
    } finally {
      draining = false
    }
  }

  return {
    run(item: Item): Promise<Result> {
      return new Promise<Result>((resolve, reject) => {
        waiting.push({ item, resolve, reject })
        if (draining) return
        draining = true
        // Wait for the rest of this turn: the other items arriving now join the batch.
        setImmediate(() => void drain())
      })
    },
  }
}

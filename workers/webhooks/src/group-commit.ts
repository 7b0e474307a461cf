/**
 * Group commit: writes that arrive while the previous batch commits (or in the same turn of
 * the event loop) share one transaction. A commit costs about as much for 50 rows as for
 * one, and at full speed it was the largest cost of a delivery.
 *
 * A `write` resolves only after the transaction holding its item has committed, so a job
 * never completes before its attempt is recorded; if the process dies first, the job is not
 * completed and is run again. The batch is all or nothing: when it fails, every item is
 * tried again alone, so one bad item fails only its own write.
 */
export interface GroupCommitOptions<Item, Result> {
  /** Writes the items in one transaction; one result per item, in order, after the commit. */
  writeBatch: (items: readonly Item[]) => Promise<readonly Result[]>
  /** Most items per transaction, so one commit (and the write lock) stays short. */
  maxBatch: number
}

interface Waiting<Item, Result> {
  item: Item
  resolve: (result: Result) => void
  reject: (error: unknown) => void
}

export function createGroupCommit<Item, Result>(options: GroupCommitOptions<Item, Result>) {
  const waiting: Waiting<Item, Result>[] = []
  let draining = false

  async function commit(batch: Waiting<Item, Result>[]): Promise<void> {
    try {
      const results = await options.writeBatch(batch.map((entry) => entry.item))
      if (results.length !== batch.length) {
        throw new Error(`writeBatch returned ${results.length} results for ${batch.length} items`)
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
    write(item: Item): Promise<Result> {
      return new Promise<Result>((resolve, reject) => {
        waiting.push({ item, resolve, reject })
        if (draining) return
        draining = true
        // Wait for the rest of this turn: the other deliveries finishing now join the batch.
        setImmediate(() => void drain())
      })
    },
  }
}

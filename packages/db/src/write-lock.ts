import type SQLite from 'better-sqlite3'

/**
 * BEGIN IMMEDIATE that waits for the other process's write lock without freezing this one.
 *
 * SQLite's own busy handler sleeps inside the call, in growing steps (1, 2, 5, 10, 15, 20,
 * 25 ms…), and better-sqlite3 is synchronous: while the worker committed, an API process
 * waiting for the lock stopped serving every request in flight (and the worker every
 * delivery while the API wrote), and a wait that just missed the release grew by a step.
 * Measured at 500 events/s with the bench producer and the worker on one file:
 * commit-to-receipt p99 50–80 ms, made of such stalls. Here BEGIN itself never waits: on
 * SQLITE_BUSY it is tried again on the next turns of the event loop, then every
 * millisecond, with the event loop free in between, until `timeoutMs` has passed; then the
 * SQLITE_BUSY error is thrown, as SQLite's handler would have.
 */
export interface WriteLock {
  /** BEGIN IMMEDIATE, once the other process's lock is free (or SQLITE_BUSY at the timeout). */
  begin: () => Promise<void>
  /** `begin`, the body, COMMIT; ROLLBACK if the body throws or rejects. */
  transaction: <T>(body: () => T | Promise<T>) => Promise<T>
}

export function createWriteLock(sqlite: SQLite.Database, timeoutMs: number): WriteLock {
  const begin = sqlite.prepare('begin immediate')
  const commit = sqlite.prepare('commit')
  const rollback = sqlite.prepare('rollback')
  // A prepared PRAGMA applies its value when prepared, not when run: exec() each time.
  const noWait = () => sqlite.exec('pragma busy_timeout = 0')
  const restoreWait = () => sqlite.exec(`pragma busy_timeout = ${timeoutMs}`)

  /** Undefined once the lock is ours; SQLite's SQLITE_BUSY error while it is not. */
  function tryBegin(): Error | undefined {
    noWait()
    try {
      begin.run()
      return undefined
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return error as Error
      throw error
    } finally {
      restoreWait()
    }
  }

  async function beginImmediate(): Promise<void> {
    const deadline = performance.now() + timeoutMs
    for (let attempt = 1; ; attempt++) {
      const busy = tryBegin()
      if (!busy) return
      if (performance.now() >= deadline) throw busy
      await (attempt <= RETRIES_ON_NEXT_TURN ? nextTurn() : oneMillisecond())
    }
  }

  return {
    begin: beginImmediate,
    async transaction(body) {
      await beginImmediate()
      try {
        const result = body()
        // A synchronous body commits in the same turn: nothing else runs inside it.
        const value = result instanceof Promise ? await result : result
        commit.run()
        return value
      } catch (error) {
        if (sqlite.inTransaction) rollback.run()
        throw error
      }
    },
  }
}

/** A write transaction of the other process often ends within a turn or two of ours. */
const RETRIES_ON_NEXT_TURN = 2

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))
const oneMillisecond = () => new Promise<void>((resolve) => setTimeout(resolve, 1))

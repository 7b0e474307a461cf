import { describe, expect, it } from 'vitest'
import { createBatcher } from '../src/batcher'

/** A batch writer whose commits are released by hand, recording every batch it was given. */
function controlledWriter() {
  const batches: string[][] = []
  const commits: (() => void)[] = []
  const runBatch = async (items: readonly string[]) => {
    batches.push([...items])
    await new Promise<void>((resolve) => commits.push(resolve))
    return items.map((item) => `${item}:recorded`)
  }
  return { batches, commits, runBatch }
}

async function settle() {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve))
}

function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false }
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  )
  return state
}

describe('group commit of delivery attempts', () => {
  it('writes what arrives together in one batch and resolves each with its own result', async () => {
    const writer = controlledWriter()
    const group = createBatcher({ runBatch: writer.runBatch, maxBatch: 100 })
    const writes = ['a', 'b', 'c'].map((item) => group.run(item))
    await settle()
    expect(writer.batches).toEqual([['a', 'b', 'c']])
    for (const commit of writer.commits) commit()
    expect(await Promise.all(writes)).toEqual(['a:recorded', 'b:recorded', 'c:recorded'])
  })

  it('never resolves a write before its batch has committed (a job cannot complete first)', async () => {
    const writer = controlledWriter()
    const group = createBatcher({ runBatch: writer.runBatch, maxBatch: 100 })
    const first = track(group.run('a'))
    await settle()
    // The transaction is open: had the process died now, nothing was recorded and the job
    // was not completed, so it runs again.
    expect(first.settled).toBe(false)
    const second = track(group.run('b'))
    await settle()
    expect(writer.batches).toEqual([['a']])
    writer.commits[0]?.()
    await settle()
    expect(first).toMatchObject({ settled: true, value: 'a:recorded' })
    // What arrived during the first commit goes into the next transaction, not the first.
    expect(writer.batches).toEqual([['a'], ['b']])
    expect(second.settled).toBe(false)
    writer.commits[1]?.()
    await settle()
    expect(second).toMatchObject({ settled: true, value: 'b:recorded' })
  })

  it('keeps batches within maxBatch', async () => {
    const writer = controlledWriter()
    const group = createBatcher({ runBatch: writer.runBatch, maxBatch: 2 })
    const writes = ['a', 'b', 'c', 'd', 'e'].map((item) => group.run(item))
    for (let i = 0; i < 3; i++) {
      await settle()
      writer.commits[i]?.()
    }
    await Promise.all(writes)
    expect(writer.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']])
  })

  it('a failing batch is retried item by item, so only the bad item fails', async () => {
    const batches: string[][] = []
    const group = createBatcher({
      maxBatch: 100,
      runBatch: async (items: readonly string[]) => {
        batches.push([...items])
        if (items.includes('bad')) throw new Error('constraint failed')
        return items.map((item) => `${item}:recorded`)
      },
    })
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((item) => group.run(item)))
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(batches).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']])
  })

  it('rejects every write when the results do not match the items', async () => {
    const group = createBatcher({ maxBatch: 100, runBatch: async () => [] })
    await expect(group.run('a')).rejects.toThrow('0 results for 1 items')
  })
})

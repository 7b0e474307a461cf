/**
 * Runs `tick` every `intervalMs` (the interval counted from the end of the previous run, so
 * runs never overlap) until stopped; `stop` waits for a run in flight. `tick` handles its
 * own errors. With `immediately`, the first run starts now rather than after one interval.
 */
export function repeatEvery(
  intervalMs: number,
  tick: () => Promise<void>,
  options: { immediately?: boolean } = {},
): { stop: () => Promise<void> } {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  let stopped = false
  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => {
      running = tick().finally(schedule)
    }, intervalMs)
  }
  if (options.immediately) running = tick().finally(schedule)
  else schedule()
  return {
    stop: async () => {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}

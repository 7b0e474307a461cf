/** Polls until `check` holds, failing with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/**
 * `operation`'s own outcome, or a failure naming `what` if it has not settled within
 * `timeoutMs`: a bound on a call that must not hang (waiting for a reconnect, say), not a
 * measurement of how long it took.
 */
export async function settlesWithin<T>(
  what: string,
  operation: Promise<T>,
  timeoutMs: number,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not settle within ${timeoutMs} ms`)),
      timeoutMs,
    )
  })
  try {
    return await Promise.race([operation, hung])
  } finally {
    clearTimeout(timer)
  }
}

/** The logging a Redis client needs to report outages (pino fits). */
export interface OutageLogger {
  warn: (details: Record<string, unknown>, message: string) => void
  info: (details: Record<string, unknown>, message: string) => void
}

const CONNECTION_FAILURE = /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|closed/i

/** True for the errors a Redis client emits while it cannot reach the server. */
export function isRedisConnectionError(error: Error & { code?: string }): boolean {
  return CONNECTION_FAILURE.test(error.code ?? error.message)
}

/**
 * One line when Redis goes away and one when it is back, instead of one per reconnect
 * attempt. `consequence` tells the operator what happens meanwhile.
 */
export function redisOutageReporter(logger: OutageLogger | undefined, consequence: string) {
  let down = false
  return {
    down: (error: Error & { code?: string }) => {
      if (down) return
      down = true
      const reason = error.code ?? error.message
      logger?.warn({ reason }, `Redis is not reachable (${reason}); ${consequence}`)
    },
    up: () => {
      if (!down) return
      down = false
      logger?.info({}, 'Redis is reachable again')
    },
  }
}

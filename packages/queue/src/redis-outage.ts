/** The logging a Redis client needs to report outages (pino fits). */
export interface OutageLogger {
  warn: (details: Record<string, unknown>, message: string) => void
  info: (details: Record<string, unknown>, message: string) => void
  debug?: (details: Record<string, unknown>, message: string) => void
}

const CONNECTION_FAILURE =
  /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|EPIPE|closed|max retries per request|enableOfflineQueue/i

/** True for the errors a Redis client emits while it cannot reach the server. */
export function isRedisConnectionError(error: Error & { code?: string }): boolean {
  return CONNECTION_FAILURE.test(error.code ?? error.message)
}

/** Anything whose outage is tracked on its own: a connection, a BullMQ Worker. */
type Source = object

export interface OutageReporter {
  /** `source` failed to reach Redis; the first such failure of an outage is logged. */
  down: (error: Error & { code?: string }, source?: Source) => void
  /** `source` is connected again; when every source is, the outage is over. */
  up: (source?: Source) => void
  /** Reports a connection's 'error' and 'ready' events (and keeps 'error' from crashing). */
  watch: (connection: {
    on: (event: 'error' | 'ready', listener: (error: Error) => void) => unknown
  }) => void
}

const PROCESS = {}

/**
 * One line when Redis goes away and one when it is back, instead of one per reconnect
 * attempt and connection: a process holds several connections (producers, workers), and the
 * outage ends only when all of them are back. A failure is announced only if some source is
 * still down `graceMs` later: right after Redis returns, a client's second socket (BullMQ's
 * blocking connection) may still fail once on its stale socket and reconnect at once, which
 * is no new outage. `consequence` tells the operator what happens meanwhile.
 */
export function redisOutageReporter(
  logger: OutageLogger | undefined,
  consequence: string,
  options: { graceMs?: number } = {},
): OutageReporter {
  const graceMs = options.graceMs ?? 1000
  const down = new Set<Source>()
  let announced = false
  let pending: ReturnType<typeof setTimeout> | undefined
  const reporter: OutageReporter = {
    down: (error, source = PROCESS) => {
      down.add(source)
      if (announced || pending) return
      const reason = error.code ?? error.message
      pending = setTimeout(() => {
        pending = undefined
        if (down.size === 0) return
        announced = true
        logger?.warn({ reason }, `Redis is not reachable (${reason}); ${consequence}`)
      }, graceMs)
      pending.unref?.()
    },
    up: (source = PROCESS) => {
      if (!down.delete(source) || down.size > 0) return
      clearTimeout(pending)
      pending = undefined
      if (!announced) return
      announced = false
      logger?.info({}, 'Redis is reachable again')
    },
    watch: (connection) => {
      connection.on('error', (error) => reporter.down(error, connection))
      connection.on('ready', () => reporter.up(connection))
    },
  }
  return reporter
}

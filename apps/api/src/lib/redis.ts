import { Redis } from 'ioredis'
import type { Logger } from 'pino'

/**
 * A Redis connection that never floods the log: one line when Redis goes away, one when it
 * comes back. Commands fail fast while it is down (the outbox keeps the work meanwhile).
 */
export function connectRedis(url: string, logger: Logger, role: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 500, 5000),
  })
  let down = false
  redis.on('error', (error: NodeJS.ErrnoException) => {
    if (down) return
    down = true
    logger.warn(
      { redisUrl: redactUrl(url), reason: error.code ?? error.message },
      `Redis is not reachable at ${redactUrl(url)} (${error.code ?? error.message}); ${role} keeps retrying every few seconds`,
    )
  })
  redis.on('ready', () => {
    if (!down) return
    down = false
    logger.info({ redisUrl: redactUrl(url) }, 'Redis is reachable again')
  })
  return redis
}

export async function pingRedis(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === 'PONG'
  } catch {
    return false
  }
}

function redactUrl(url: string): string {
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}

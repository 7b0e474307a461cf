import type { Config } from '@onboard/core'

/**
 * Our public origin, or loopback on our own port: the only places the mounted sandbox may
 * send its signed Meta webhooks, so a public server cannot be made to POST elsewhere.
 */
export function isOwnOrigin(config: Pick<Config, 'publicBaseUrl' | 'port'>) {
  const origins = new Set([
    new URL(config.publicBaseUrl).origin,
    `http://127.0.0.1:${config.port}`,
    `http://localhost:${config.port}`,
  ])
  return (target: URL) => origins.has(target.origin)
}

import { pino } from 'pino'
import { loadWorkerSettings, startWebhookWorker } from '../../../../workers/webhooks/src/index'
import { startMetaInboundWorker } from '../../../../workers/webhooks/src/meta-inbound/index'
import type { TestApi } from './harness'

/**
 * The worker's delivery and Meta-receipt processors in this test process, on the test API's
 * database, queue and prefix, with a quick relay: what runs beside the API in production.
 * (The API's close clears both queues.)
 */
export function startTestWorkers(api: TestApi): { close: () => Promise<void> } {
  const loaded = loadWorkerSettings({
    WEBHOOK_RELAY_INTERVAL: '300ms',
  })
  if (!loaded.ok) throw new Error(loaded.message)
  const deps = {
    core: api.core,
    config: api.config,
    settings: loaded.settings,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    queue: api.workQueue,
    metaApps: api.metaApps,
  }
  const delivery = startWebhookWorker(deps)
  const inbound = startMetaInboundWorker(deps)
  return {
    close: async () => {
      await inbound.close()
      await delivery.close()
    },
  }
}

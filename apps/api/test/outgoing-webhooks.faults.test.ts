import { pino } from 'pino'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import {
  loadWorkerSettings,
  startWebhookWorker,
  type WebhookWorker,
} from '../../../workers/webhooks/src/index'
import {
  type RedisServer,
  startRedisServer,
} from '../../../workers/webhooks/test/support/processes'
import {
  type Receiver,
  startReceiver,
  waitFor,
} from '../../../workers/webhooks/test/support/receiver'
import { startTestApi, type TestApi } from './support/harness'
import { completeWith, createLink } from './support/signup'

/** A real link completion while Redis is down, on a redis-server of its own. */
describe('outgoing webhooks: Redis down while a link completes', () => {
  let redis: RedisServer | undefined
  let api: TestApi | undefined
  let worker: WebhookWorker | undefined
  let hook: Receiver | undefined
  afterEach(async () => {
    await worker?.close()
    await api?.close()
    await hook?.close()
    await redis?.stop()
  })

  it('completes the link, and the auto-registered webhook gets phone_number.connected once Redis is back', async () => {
    redis = await startRedisServer()
    api = await startTestApi({ env: { REDIS_URL: redis.url } })
    hook = await startReceiver()
    const key = (await api.createOrganization()).test
    const settings = loadWorkerSettings({
      WEBHOOK_RELAY_INTERVAL: '300ms',
    })
    if (!settings.ok) throw new Error(settings.message)
    worker = startWebhookWorker({
      core: api.core,
      config: api.config,
      settings: settings.settings,
      logger: pino({ level: 'silent' }),
      queue: api.workQueue,
    })
    const link = await createLink(api, key, {
      webhookUrl: hook.url,
      webhookSecret: 'whsec_my_secret_key_123',
      webhookEvents: ['phone_number.connected'],
    })

    await redis.stop()
    const { res, body } = await completeWith(api, link.id, 'success')
    expect(res.status, JSON.stringify(body)).toBe(200)
    const [pending] = await api.core.db.selectFrom('webhook_deliveries').selectAll().execute()
    expect(pending?.status).toBe('pending')

    await redis.start()
    await waitFor(
      'the delivery after Redis returned',
      () => (hook?.requests.length ?? 0) > 0,
      20_000,
    )
    const [request] = hook.requests
    const verified = new Webhook('whsec_my_secret_key_123', { format: 'raw' }).verify(
      request?.body ?? '',
      request?.headers ?? {},
    )
    expect(verified).toMatchObject({
      event: 'phone_number.connected',
      data: { onboardingLinkId: link.id },
    })
    expect(request?.webhookId).toBe(pending?.id)
  })
})

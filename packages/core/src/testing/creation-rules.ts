import { loadConfig } from '../config'
import { createMetaApps } from '../meta-apps'
import type { LinkCreationRules } from '../onboarding-links/create'

/**
 * A deployment as core tests need one: a live Meta app configured (so links and sessions can
 * be created in both modes) and private webhook targets allowed (receivers on 127.0.0.1).
 * The Meta clients are real but never called by the tests that use these rules.
 */
export function testCreationRules(): LinkCreationRules {
  const loaded = loadConfig({
    META_APP_ID: '1234567890',
    META_APP_SECRET: 'test-app-secret',
    META_CONFIG_ID: '42',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  })
  if (!loaded.ok) throw new Error(loaded.message)
  return {
    metaApps: createMetaApps(loaded.config, {
      graphUrl: 'http://127.0.0.1:9/graph',
      appId: 'sandbox-app',
      appSecret: 'sandbox-secret',
    }),
    webhookTargets: loaded.config.webhooks,
  }
}

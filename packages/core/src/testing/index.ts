export {
  type ConnectedPhoneFixture,
  inboundTextWebhook,
  insertConnectedPhone,
  messageStatusWebhook,
} from '../meta-webhooks/testing'
export { testCreationRules } from './creation-rules'
export { encryptLegacySecret } from './legacy-secret'
export {
  createTestDatabase,
  TEST_ENCRYPTION_KEY,
  type TestDatabase,
  testDialect,
} from './test-database'
export { createTestTenant } from './test-tenant'

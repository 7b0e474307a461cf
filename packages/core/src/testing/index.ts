export {
  type ConnectedPhoneFixture,
  inboundTextWebhook,
  insertConnectedPhone,
} from '../meta-webhooks/testing'
export { testCreationRules } from './creation-rules'
export { createTestDatabase, type TestDatabase } from './test-database'
export { createTestTenant } from './test-tenant'

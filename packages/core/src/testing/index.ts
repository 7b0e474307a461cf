export { type ConnectedPhoneFixture, insertConnectedPhone } from '../meta-webhooks/testing'
export { createTestDatabase, type TestDatabase } from './test-database'

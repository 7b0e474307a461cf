export { answerHandshake, type HandshakeResult } from './handshake'
export { type WebhookHealth, webhookHealth } from './health'
export { findInstalledWaba, listUnclaimedInstalls, type WabaInstall } from './installs'
export { statusEventType } from './messages'
export {
  listReceiptsOfOrganization,
  type OrganizationReceipt,
  type ReceiptChange,
} from './of-organization'
export { type ProcessedReceipt, processReceipt } from './process'
export {
  findPendingReceipts,
  MAX_RECEIPT_ATTEMPTS,
  type PurgedReceipts,
  purgeOldReceipts,
  recordReceiptFailure,
  type StoredReceipt,
  storeReceipt,
} from './receipts'
export { assertMayEmitAbout, assertMayUseSandboxEmitter } from './sandbox-emit'
export * from './schemas'
export { type SigningApp, signMetaBody, verifyMetaSignature } from './signature'

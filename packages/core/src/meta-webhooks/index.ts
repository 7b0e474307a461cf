export { answerHandshake } from './handshake'
export { findInstalledWaba, listUnclaimedInstalls } from './installs'
export { listReceiptsOfOrganization } from './of-organization'
export { type ProcessedReceipt, processReceipt } from './process-receipt'
export {
  findPendingReceipts,
  MAX_RECEIPT_ATTEMPTS,
  purgeOldReceipts,
  recordReceiptFailure,
  storeReceipt,
} from './receipts'
export { assertMayEmitAbout, assertMayUseSandboxEmitter } from './sandbox-emit'
export * from './schemas'
export { type SigningApp, signMetaBody, verifyMetaSignature } from './signature'

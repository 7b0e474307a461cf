export {
  type CallbackResult,
  type CompletionDeps,
  handleSignupCallback,
  isWabaConnectedAnywhere,
} from './complete'
export { signupErrors } from './errors'
export { generatePin, type SignupClaims, toE164 } from './graph-steps'
export { findLinkForPage } from './link-target'
export {
  assertSignupAvailable,
  createMetaApps,
  type MetaApp,
  type MetaApps,
  type SandboxApp,
} from './meta-clients'
export { issueSignupNonce, SIGNUP_NONCE_MAX_AGE_MS, verifySignupNonce } from './nonce'
export { type EmbeddedSignupLogin, loadSignupPage, type SignupPage } from './page'
export * from './schemas'
export type { CompletionSubject, ConnectionIds } from './subject'
export type { SignupTarget, SignupTargetStatus } from './target'

export {
  assertSignupAvailable,
  createMetaApps,
  type MetaApp,
  type MetaApps,
  type SandboxApp,
} from '../meta-apps'
export { findLinkForPage } from '../onboarding-links/signup-target'
export type { SignupTarget, SignupTargetStatus } from '../signup-target'
export {
  type CallbackResult,
  type CompletionDeps,
  handleSignupCallback,
  isWabaConnectedAnywhere,
} from './complete'
export { signupErrors } from './errors'
export { generatePin, type SignupClaims, toE164 } from './graph-steps'
export { issueSignupNonce, SIGNUP_NONCE_MAX_AGE_MS, verifySignupNonce } from './nonce'
export { type EmbeddedSignupLogin, loadSignupPage, type SignupPage } from './page'
export * from './schemas'
export type { CompletionSubject, ConnectionIds } from './subject'

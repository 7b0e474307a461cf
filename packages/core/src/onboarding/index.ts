export {
  type CallbackResult,
  type CompletionDeps,
  findLinkForPage,
  handleSignupCallback,
} from './complete'
export { signupErrors } from './errors'
export { generatePin, toE164 } from './graph-steps'
export { createMetaApps, type MetaApp, type MetaApps, type SandboxApp } from './meta-clients'
export { issueSignupNonce, SIGNUP_NONCE_MAX_AGE_MS, verifySignupNonce } from './nonce'
export { type EmbeddedSignupLogin, loadSignupPage, type SignupPage } from './page'
export * from './schemas'

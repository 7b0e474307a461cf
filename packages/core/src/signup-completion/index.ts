export {
  type CallbackResult,
  type CompletionDeps,
  completeBusinessProfile,
  completeSessionFromWaba,
  handleSignupCallback,
} from './complete'
export { type EmbeddedSignupLogin, loadSignupPage, type SignupPage } from './page'
export * from './schemas'

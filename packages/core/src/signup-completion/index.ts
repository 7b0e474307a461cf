export { completeBusinessProfile, completeSessionFromWaba, handleSignupCallback } from './complete'
export { loadSignupPage, type SignupPage } from './page'
export * from './schemas'
export {
  completeAwaitingLinks,
  completeLinksForInstalls,
  PAGE_CALLBACK_GRACE_MS,
  type UnattendedCompletion,
} from './unattended'

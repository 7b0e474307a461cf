export { completeBusinessProfile, completeSessionFromWaba, handleSignupCallback } from './complete'
export { loadSignupPage, type SignupPage } from './page'
export * from './schemas'
export {
  completeAwaitingLinks,
  completeLinksForInstalls,
  INSTALL_NEAR_FINISH_MS,
  PAGE_CALLBACK_GRACE_MS,
  type UnattendedCompletion,
} from './unattended'

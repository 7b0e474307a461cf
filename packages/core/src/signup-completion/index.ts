export { completeBusinessProfile, completeSessionFromWaba, handleSignupCallback } from './complete'
export { loadSignupPage, type SignupPage } from './page'
export * from './schemas'

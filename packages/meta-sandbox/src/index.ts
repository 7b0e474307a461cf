export {
  SANDBOX_ANSWER_LOST_RECIPIENT,
  SANDBOX_APP_ID,
  SANDBOX_BLOCKED_HEALTH_ERROR_CODE,
  SANDBOX_EXPIRED_CODE,
  SANDBOX_FAILING_RECIPIENTS,
  SANDBOX_REGISTER_FAILURE_CODE,
  SANDBOX_SHARED_PHONE_NUMBER_ID,
  SANDBOX_SHARED_WABA_ID,
  SANDBOX_UNDELIVERABLE_RECIPIENT,
} from './constants'
export { createMetaSandbox, type MetaSandbox, type MetaSandboxOptions } from './sandbox'
export type { SignupResult } from './scenarios'
export type { SignupOptions } from './schemas'
export { startMetaSandbox } from './server'
export type { EmitAuthorizer } from './webhooks/routes'

export {
  SANDBOX_ANSWER_LOST_RECIPIENT,
  SANDBOX_APP_ID,
  SANDBOX_APP_NAME,
  SANDBOX_APP_RATE_LIMIT_CODE,
  SANDBOX_BLOCKED_HEALTH_ERROR_CODE,
  SANDBOX_CODE_TTL_MS,
  SANDBOX_EXPIRED_CODE,
  SANDBOX_FAILING_RECIPIENTS,
  SANDBOX_REGISTER_FAILURE_CODE,
  SANDBOX_SCENARIOS,
  SANDBOX_SHARED_BUSINESS_ID,
  SANDBOX_SHARED_PHONE_NUMBER_ID,
  SANDBOX_SHARED_WABA_ID,
  SANDBOX_UNDELIVERABLE_RECIPIENT,
  SANDBOX_WABA_RATE_LIMIT_CODE,
  type SandboxScenario,
} from './constants'
export { SANDBOX_TEMPLATES } from './graph/messages'
export { createMetaSandbox, type MetaSandbox, type MetaSandboxOptions } from './sandbox'
export type { EmbeddedSignupEvent, FbAuthResponse, SignupResult } from './scenarios'
export type { Prefill, SignupOptions, SignupRequest } from './schemas'
export { type RunningMetaSandbox, type StartMetaSandboxOptions, startMetaSandbox } from './server'
export type { SandboxState } from './state'
export type { EmitSubject } from './webhooks/payloads'
export type { EmitAuthorizer, EmitPermission } from './webhooks/routes'

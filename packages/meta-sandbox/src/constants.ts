/**
 * The test-mode app's id. Its secret is not a constant: each deployment derives its own from
 * ENCRYPTION_KEY (`Keyring.sandboxAppSecret`) and passes it in, so nobody else can sign
 * test-mode webhooks for it.
 */
export const SANDBOX_APP_ID = '584120735918264'
export const SANDBOX_APP_NAME = 'Onboarding Sandbox App'

/** Meta: "The exchangeable token code has a time-to-live of 30 seconds". */
export const SANDBOX_CODE_TTL_MS = 30_000

// ---- Magic values: documented in README.md ("Magic values") ----

/** Exchanging this code always fails as expired (code 100, subcode 36007). */
export const SANDBOX_EXPIRED_CODE = 'AQBsandboxAlreadyExpiredCode'
/** The WABA every `sharedWaba` signup hands out, so a second signup finds it "already connected". */
export const SANDBOX_SHARED_WABA_ID = '109876543210987'
export const SANDBOX_SHARED_BUSINESS_ID = '209876543210986'
export const SANDBOX_SHARED_PHONE_NUMBER_ID = '309876543210985'

/** Error code /register answers with for a `registerFails` phone. */
export const SANDBOX_REGISTER_FAILURE_CODE = 133005
/** Health error a BLOCKED WABA carries (payment method). */
export const SANDBOX_BLOCKED_HEALTH_ERROR_CODE = 141006
/** Graph codes for `rateLimit: 'waba'` (default when `true`) and `rateLimit: 'app'`. */
export const SANDBOX_WABA_RATE_LIMIT_CODE = 80007
export const SANDBOX_APP_RATE_LIMIT_CODE = 4

export const SANDBOX_SCENARIOS = ['success', 'coexistence', 'only-waba', 'cancel', 'error'] as const
export type SandboxScenario = (typeof SANDBOX_SCENARIOS)[number]

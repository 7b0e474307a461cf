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

/**
 * `tab-closed`: Meta finishes the signup (a new WABA and phone, the FINISH message reaches
 * the page) but the page's tab closes before FB.login's callback, so the code never reaches
 * it and no callback of ours follows; Meta then sends PARTNER_APP_INSTALLED for the WABA.
 */
export const SANDBOX_SCENARIOS = [
  'success',
  'coexistence',
  'only-waba',
  'tab-closed',
  'cancel',
  'error',
] as const

/** Scenarios after which the sandbox, like Meta, sends PARTNER_APP_INSTALLED to the app's callback URL. */
export const SANDBOX_INSTALL_WEBHOOK_SCENARIOS: readonly SandboxScenario[] = ['tab-closed']
export type SandboxScenario = (typeof SANDBOX_SCENARIOS)[number]

/**
 * Recipients (`to`, digits of the E.164 number) whose send fails the way Meta fails it, with
 * that Graph error code: numbers in the US 555-01XX fiction range, so none is a real person.
 */
export const SANDBOX_FAILING_RECIPIENTS = {
  /** Outside the 24-hour customer service window, and not a template. */
  '15550131047': 131047,
  /** Message undeliverable (e.g. the number is not on WhatsApp). */
  '15550131026': 131026,
  /** Recipient not in the allowed list (a test number's recipients). */
  '15550131030': 131030,
  /** The number's throughput (messages per second) reached. */
  '15550130429': 130429,
  /** Spam rate limit: too many messages this number's quality allows. */
  '15550131048': 131048,
  /** Pair rate limit: too many messages to this recipient in a short time. */
  '15550131056': 131056,
  /** The WABA's Graph rate limit. */
  '15550080007': 80007,
  /** The business token is invalid or expired. */
  '15550000190': 190,
  /** Meta is unavailable: HTTP 503 with code 2, transient. */
  '15550000503': 2,
} as const

/** A send to this recipient is accepted, then its statuses are `sent` and `failed` (131026). */
export const SANDBOX_UNDELIVERABLE_RECIPIENT = '15550000404'

/**
 * A send to this recipient is accepted (counted, its statuses follow) but its answer is lost:
 * the connection breaks after the answer's first bytes, as a reset or a timeout would leave
 * the caller not knowing whether Meta took the message.
 */
export const SANDBOX_ANSWER_LOST_RECIPIENT = '15550000598'

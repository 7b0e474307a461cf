import type { SandboxScenario } from './constants'
import type { SignupOptions } from './schemas'

export type HealthLevel = 'AVAILABLE' | 'LIMITED' | 'BLOCKED'

export interface SandboxBusiness {
  id: string
  name: string
}

export interface SandboxPhone {
  id: string
  wabaId: string
  e164: string
  displayPhoneNumber: string
  verifiedName: string
  qualityRating: string
  codeVerificationStatus: string
  platformType: string
  status: string
  nameStatus: string
  isOnBizApp: boolean
  /** The two-step verification PIN once registered; later registrations must repeat it. */
  pin: string | null
  /** Times of register calls, for Meta's 10-per-72-hours budget. */
  registerCalls: number[]
  registerFails: boolean
  health: HealthLevel
  lastOnboardedAt: number
}

export interface SandboxWaba {
  id: string
  name: string
  currency: string
  timezoneId: string
  messageTemplateNamespace: string
  businessId: string
  phoneIds: string[]
  /** app id → WABA-level webhook override, if any */
  subscribedApps: Map<string, { overrideCallbackUri: string | null }>
}

export interface SandboxToken {
  token: string
  signupId: string
  wabaId: string
  businessId: string
  userId: string
  issuedAt: number
  rateLimit: SignupOptions['rateLimit']
}

export interface SandboxSignup {
  id: string
  scenario: SandboxScenario
  createdAt: number
  code: string | null
  /** When the code was handed out; `expiredCode` back-dates it past the TTL. */
  codeIssuedAt: number
  codeUsed: boolean
  token: string | null
  businessId: string | null
  wabaId: string | null
  phoneIds: string[]
  options: SignupOptions
}

/** Everything the sandbox knows, in memory. Exposed for tests to inspect; not a stable API. */
export class SandboxState {
  readonly signups = new Map<string, SandboxSignup>()
  readonly codes = new Map<string, string>()
  readonly tokens = new Map<string, SandboxToken>()
  readonly businesses = new Map<string, SandboxBusiness>()
  readonly wabas = new Map<string, SandboxWaba>()
  readonly phones = new Map<string, SandboxPhone>()
  /** Assets that outlive signups (the shared WABA and its business and phone). */
  readonly permanentIds = new Set<string>()

  constructor(private readonly limits: { maxSignups: number; retentionMs: number }) {}

  addSignup(signup: SandboxSignup): void {
    this.signups.set(signup.id, signup)
    if (signup.code) this.codes.set(signup.code, signup.id)
  }

  /** Drops signups past retention, then the oldest beyond the cap, with everything they own. */
  prune(now: number): void {
    for (const signup of this.signups.values()) {
      const tooOld = now - signup.createdAt > this.limits.retentionMs
      if (!tooOld && this.signups.size <= this.limits.maxSignups) break
      this.removeSignup(signup)
    }
  }

  private removeSignup(signup: SandboxSignup): void {
    this.signups.delete(signup.id)
    if (signup.code) this.codes.delete(signup.code)
    if (signup.token) this.tokens.delete(signup.token)
    for (const id of signup.phoneIds) {
      if (!this.permanentIds.has(id)) this.phones.delete(id)
    }
    for (const id of [signup.wabaId, signup.businessId]) {
      if (id && !this.permanentIds.has(id)) {
        this.wabas.delete(id)
        this.businesses.delete(id)
      }
    }
  }

  isNumberTaken(e164: string): boolean {
    for (const phone of this.phones.values()) if (phone.e164 === e164) return true
    return false
  }

  isIdTaken(id: string): boolean {
    return this.businesses.has(id) || this.wabas.has(id) || this.phones.has(id)
  }
}

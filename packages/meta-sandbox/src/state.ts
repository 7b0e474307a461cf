import { type Db, sandboxStore } from '@onboard/db'
import type { SandboxScenario } from './constants'
import type { SignupOptions } from './schemas'

type HealthLevel = 'AVAILABLE' | 'LIMITED' | 'BLOCKED'

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
  /** How many sends Meta accepted for this phone (missing on phones stored before it: 0). */
  messagesAccepted?: number
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
  subscribedApps: Record<string, { overrideCallbackUri: string | null }>
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
  businessId: string | null
  wabaId: string | null
  phoneIds: string[]
  options: SignupOptions
}

interface Shapes {
  signup: SandboxSignup
  token: SandboxToken
  business: SandboxBusiness
  waba: SandboxWaba
  phone: SandboxPhone
}

export type SandboxNode =
  | { kind: 'waba'; waba: SandboxWaba }
  | { kind: 'phone'; phone: SandboxPhone }
  | { kind: 'business'; business: SandboxBusiness }

/**
 * Everything the sandbox knows, kept in the service's database (the sandbox_* tables) so
 * that every replica mounting the sandbox sees the same signups, codes, tokens and assets.
 * Exposed for tests to inspect; not a stable API.
 */
export class SandboxState {
  private readonly store: ReturnType<typeof sandboxStore.createSandboxStore<Shapes>>

  constructor(
    db: Db,
    private readonly limits: { maxSignups: number; retentionMs: number },
  ) {
    this.store = sandboxStore.createSandboxStore<Shapes>(db)
  }

  async node(id: string): Promise<SandboxNode | undefined> {
    const asset = await this.store.asset(id)
    if (!asset) return undefined
    if (asset.kind === 'waba') return { kind: 'waba', waba: asset.data }
    if (asset.kind === 'phone') return { kind: 'phone', phone: asset.data }
    return { kind: 'business', business: asset.data }
  }

  async business(id: string): Promise<SandboxBusiness | undefined> {
    const node = await this.node(id)
    return node?.kind === 'business' ? node.business : undefined
  }

  async waba(id: string): Promise<SandboxWaba | undefined> {
    const node = await this.node(id)
    return node?.kind === 'waba' ? node.waba : undefined
  }

  async phone(id: string): Promise<SandboxPhone | undefined> {
    const node = await this.node(id)
    return node?.kind === 'phone' ? node.phone : undefined
  }

  /** The phones with these ids that still exist, in the order given. */
  phones(ids: readonly string[]): Promise<SandboxPhone[]> {
    return this.store.assets('phone', ids)
  }

  /** Adds an asset; false when its id is taken. `signupId` null: it outlives signups. */
  addBusiness(business: SandboxBusiness, signupId: string | null, now: number) {
    return this.store.insertAsset(
      'business',
      { id: business.id, signupId, data: business },
      new Date(now),
    )
  }

  addWaba(waba: SandboxWaba, signupId: string | null, now: number) {
    return this.store.insertAsset('waba', { id: waba.id, signupId, data: waba }, new Date(now))
  }

  addPhone(phone: SandboxPhone, signupId: string | null, now: number) {
    return this.store.insertAsset(
      'phone',
      { id: phone.id, signupId, phoneNumber: phone.e164, data: phone },
      new Date(now),
    )
  }

  /** Changes a WABA in one transaction, so replicas changing it together lose nothing. */
  updateWaba(id: string, change: (waba: SandboxWaba) => SandboxWaba, now: number) {
    return this.store.updateAsset('waba', id, change, new Date(now))
  }

  /** Changes a phone in one transaction, so replicas changing it together lose nothing. */
  updatePhone(id: string, change: (phone: SandboxPhone) => SandboxPhone, now: number) {
    return this.store.updateAsset('phone', id, change, new Date(now))
  }

  async addSignup(signup: SandboxSignup): Promise<void> {
    await this.store.insertSignup({
      id: signup.id,
      code: signup.code,
      data: signup,
      at: new Date(signup.createdAt),
    })
  }

  async signupByCode(
    code: string,
  ): Promise<{ signup: SandboxSignup; codeUsed: boolean } | undefined> {
    const row = await this.store.signupByCode(code)
    return row ? { signup: row.data, codeUsed: row.codeExchanged } : undefined
  }

  /** Spends the signup's code for `token`; false when it was already spent, here or elsewhere. */
  exchangeCode(token: SandboxToken): Promise<boolean> {
    return this.store.exchangeCode(
      token.signupId,
      { token: token.token, data: token },
      new Date(token.issuedAt),
    )
  }

  token(token: string): Promise<SandboxToken | undefined> {
    return this.store.token(token)
  }

  /** Forgets every token, as pruning their signups would. */
  forgetTokens(): Promise<void> {
    return this.store.deleteTokens()
  }

  signupCount(): Promise<number> {
    return this.store.signupCount()
  }

  /** Drops signups past retention, then the oldest beyond the cap, with everything they own. */
  prune(now: number, justPlayedId: string): Promise<void> {
    return this.store.prune({
      createdBefore: new Date(now - this.limits.retentionMs),
      keep: this.limits.maxSignups,
      keepId: justPlayedId,
    })
  }

  isNumberTaken(e164: string): Promise<boolean> {
    return this.store.isPhoneNumberTaken(e164)
  }
}

import {
  SANDBOX_SHARED_BUSINESS_ID,
  SANDBOX_SHARED_PHONE_NUMBER_ID,
  SANDBOX_SHARED_WABA_ID,
} from './constants'
import { graphId, phoneNumber } from './ids'
import type { Prefill, SignupOptions } from './schemas'
import type { SandboxPhone, SandboxState, SandboxWaba } from './state'

export interface CreatedAssets {
  businessId: string
  wabaId: string
  phoneIds: string[]
}

export type PhoneKind = 'cloud-api' | 'business-app'

function uniqueId(state: SandboxState): string {
  for (;;) {
    const id = graphId()
    if (!state.isIdTaken(id)) return id
  }
}

function uniqueNumber(state: SandboxState): ReturnType<typeof phoneNumber> {
  // The fictional ranges are small; after a few clashes a duplicate number is acceptable.
  let candidate = phoneNumber()
  for (let i = 0; i < 20 && state.isNumberTaken(candidate.e164); i++) candidate = phoneNumber()
  return candidate
}

function newPhone(
  state: SandboxState,
  id: string,
  wabaId: string,
  verifiedName: string,
  kind: PhoneKind,
  options: SignupOptions,
  now: number,
): SandboxPhone {
  const number = uniqueNumber(state)
  // Coexistence numbers are already live on the WhatsApp Business app, so already registered.
  const onApp = kind === 'business-app'
  return {
    id,
    wabaId,
    e164: number.e164,
    displayPhoneNumber: number.display,
    verifiedName,
    qualityRating: 'GREEN',
    codeVerificationStatus: 'VERIFIED',
    platformType: onApp ? 'CLOUD_API' : 'NOT_APPLICABLE',
    status: onApp ? 'CONNECTED' : 'PENDING',
    nameStatus: 'APPROVED',
    isOnBizApp: onApp,
    pin: null,
    registerCalls: [],
    registerFails: options.registerFails,
    health: options.health,
    lastOnboardedAt: now,
  }
}

function newWaba(id: string, name: string, businessId: string): SandboxWaba {
  return {
    id,
    name,
    currency: 'USD',
    timezoneId: '1',
    messageTemplateNamespace: `${id.slice(-6)}_sandbox_ns`,
    businessId,
    phoneIds: [],
    subscribedApps: new Map(),
  }
}

/** The WABA shared by every `sharedWaba` signup; created once, its phone reflects the latest options. */
function sharedAssets(state: SandboxState, options: SignupOptions, now: number): CreatedAssets {
  let waba = state.wabas.get(SANDBOX_SHARED_WABA_ID)
  if (!waba) {
    const name = 'Sandbox Shared Business'
    state.businesses.set(SANDBOX_SHARED_BUSINESS_ID, { id: SANDBOX_SHARED_BUSINESS_ID, name })
    waba = newWaba(SANDBOX_SHARED_WABA_ID, name, SANDBOX_SHARED_BUSINESS_ID)
    waba.phoneIds.push(SANDBOX_SHARED_PHONE_NUMBER_ID)
    state.wabas.set(waba.id, waba)
    const phone = newPhone(
      state,
      SANDBOX_SHARED_PHONE_NUMBER_ID,
      waba.id,
      name,
      'cloud-api',
      options,
      now,
    )
    state.phones.set(phone.id, phone)
    for (const id of [
      SANDBOX_SHARED_BUSINESS_ID,
      SANDBOX_SHARED_WABA_ID,
      SANDBOX_SHARED_PHONE_NUMBER_ID,
    ]) {
      state.permanentIds.add(id)
    }
  }
  const phone = state.phones.get(SANDBOX_SHARED_PHONE_NUMBER_ID)
  if (phone) {
    phone.registerFails = options.registerFails
    phone.health = options.health
  }
  return { businessId: waba.businessId, wabaId: waba.id, phoneIds: [...waba.phoneIds] }
}

/** Creates the business portfolio, WABA and numbers one finished Embedded Signup would leave behind. */
export function createAssets(
  state: SandboxState,
  input: { prefill: Prefill | undefined; options: SignupOptions; phones: PhoneKind | 'none' },
  now: number,
): CreatedAssets {
  const { prefill, options } = input
  if (options.sharedWaba) return sharedAssets(state, options, now)
  const businessId = uniqueId(state)
  const businessName = prefill?.business?.name ?? `Sandbox Business ${businessId.slice(-4)}`
  state.businesses.set(businessId, { id: businessId, name: businessName })
  const waba = newWaba(uniqueId(state), businessName, businessId)
  state.wabas.set(waba.id, waba)
  if (input.phones !== 'none') {
    const verifiedName = prefill?.phone?.displayName ?? businessName
    const preVerified = prefill?.preVerifiedPhone?.ids?.[0]
    for (let i = 0; i < options.phoneNumberCount; i++) {
      // A pre-verified number keeps its id, as Meta's does when it is picked in the flow.
      const usePreVerified = i === 0 && preVerified && /^\d{6,20}$/.test(preVerified)
      const id = usePreVerified && !state.isIdTaken(preVerified) ? preVerified : uniqueId(state)
      const phone = newPhone(state, id, waba.id, verifiedName, input.phones, options, now)
      state.phones.set(id, phone)
      waba.phoneIds.push(id)
    }
  }
  return { businessId, wabaId: waba.id, phoneIds: [...waba.phoneIds] }
}

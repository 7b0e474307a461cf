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

/** A fresh Graph id, added as `add` says; ids are random, so a clash only means another draw. */
async function addWithUniqueId(add: (id: string) => Promise<boolean>): Promise<string> {
  for (;;) {
    const id = graphId()
    if (await add(id)) return id
  }
}

async function uniqueNumber(state: SandboxState): Promise<ReturnType<typeof phoneNumber>> {
  // The fictional ranges are small; after a few clashes a duplicate number is acceptable.
  let candidate = phoneNumber()
  for (let i = 0; i < 20 && (await state.isNumberTaken(candidate.e164)); i++) {
    candidate = phoneNumber()
  }
  return candidate
}

async function newPhone(
  state: SandboxState,
  id: string,
  wabaId: string,
  verifiedName: string,
  kind: PhoneKind,
  options: SignupOptions,
  now: number,
): Promise<SandboxPhone> {
  const number = await uniqueNumber(state)
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
    subscribedApps: {},
  }
}

/**
 * The WABA shared by every `sharedWaba` signup; created once (by whichever replica comes
 * first), it outlives signups, and its phone reflects the latest options.
 */
async function sharedAssets(
  state: SandboxState,
  options: SignupOptions,
  now: number,
): Promise<CreatedAssets> {
  if (!(await state.waba(SANDBOX_SHARED_WABA_ID))) {
    const name = 'Sandbox Shared Business'
    await state.addBusiness({ id: SANDBOX_SHARED_BUSINESS_ID, name }, null, now)
    const phone = await newPhone(
      state,
      SANDBOX_SHARED_PHONE_NUMBER_ID,
      SANDBOX_SHARED_WABA_ID,
      name,
      'cloud-api',
      options,
      now,
    )
    await state.addPhone(phone, null, now)
    const waba = newWaba(SANDBOX_SHARED_WABA_ID, name, SANDBOX_SHARED_BUSINESS_ID)
    waba.phoneIds.push(SANDBOX_SHARED_PHONE_NUMBER_ID)
    await state.addWaba(waba, null, now)
  }
  await state.updatePhone(
    SANDBOX_SHARED_PHONE_NUMBER_ID,
    (phone) => ({ ...phone, registerFails: options.registerFails, health: options.health }),
    now,
  )
  return {
    businessId: SANDBOX_SHARED_BUSINESS_ID,
    wabaId: SANDBOX_SHARED_WABA_ID,
    phoneIds: [SANDBOX_SHARED_PHONE_NUMBER_ID],
  }
}

/** Creates the business portfolio, WABA and numbers one finished Embedded Signup would leave behind. */
export async function createAssets(
  state: SandboxState,
  input: {
    signupId: string
    prefill: Prefill | undefined
    options: SignupOptions
    phones: PhoneKind | 'none'
  },
  now: number,
): Promise<CreatedAssets> {
  const { prefill, options, signupId } = input
  if (options.sharedWaba) return sharedAssets(state, options, now)
  let businessName = ''
  const businessId = await addWithUniqueId((id) => {
    businessName = prefill?.business?.name ?? `Sandbox Business ${id.slice(-4)}`
    return state.addBusiness({ id, name: businessName }, signupId, now)
  })
  const wabaId = await addWithUniqueId((id) =>
    state.addWaba(newWaba(id, businessName, businessId), signupId, now),
  )
  const phoneIds: string[] = []
  const phoneKind = input.phones
  if (phoneKind !== 'none') {
    const verifiedName = prefill?.phone?.displayName ?? businessName
    const preVerified = prefill?.preVerifiedPhone?.ids?.[0]
    for (let i = 0; i < options.phoneNumberCount; i++) {
      const addPhone = async (id: string) =>
        state.addPhone(
          await newPhone(state, id, wabaId, verifiedName, phoneKind, options, now),
          signupId,
          now,
        )
      // A pre-verified number keeps its id, as Meta's does when it is picked in the flow.
      const usePreVerified = i === 0 && preVerified && /^\d{6,20}$/.test(preVerified)
      const keptId = usePreVerified && (await addPhone(preVerified)) ? preVerified : null
      phoneIds.push(keptId ?? (await addWithUniqueId(addPhone)))
    }
  }
  if (phoneIds.length > 0) await state.updateWaba(wabaId, (waba) => ({ ...waba, phoneIds }), now)
  return { businessId, wabaId, phoneIds: [...phoneIds] }
}

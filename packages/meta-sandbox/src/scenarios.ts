import { randomUUID } from 'node:crypto'
import { type CreatedAssets, createAssets } from './assets'
import { SANDBOX_CODE_TTL_MS, type SandboxScenario } from './constants'
import { authorizationCode, sessionId } from './ids'
import type { SignupRequest } from './schemas'
import type { SandboxState } from './state'

interface EmbeddedSignupEvent {
  type: 'WA_EMBEDDED_SIGNUP'
  event: string
  data: Record<string, string>
  version: number
}

interface FbAuthResponse {
  authResponse: { code: string; userID: null; expiresIn: null } | null
  status: 'connected' | 'unknown'
}

/** What the popup hands the opening page, plus a `sandbox` block Meta would not send. */
export interface SignupResult {
  code: string | null
  wabaId: string | null
  phoneNumberId: string | null
  businessId: string | null
  event: EmbeddedSignupEvent
  authResponse: FbAuthResponse
  sandbox: {
    signupId: string
    businessId: string | null
    wabaId: string | null
    phoneNumberIds: string[]
  }
}

const FINISH_EVENTS: Partial<Record<SandboxScenario, string>> = {
  success: 'FINISH',
  'tab-closed': 'FINISH',
  coexistence: 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING',
  'only-waba': 'FINISH_ONLY_WABA',
}

function eventData(
  request: SignupRequest,
  assets: CreatedAssets | null,
  now: number,
): Record<string, string> {
  const { scenario, options } = request
  if (scenario === 'cancel') return { current_step: options.currentStep }
  if (scenario === 'error') {
    return {
      error_message:
        'Your verified name violates WhatsApp guidelines. Please edit your verified name and try again.',
      error_code: '524126',
      session_id: sessionId(),
      timestamp: String(Math.floor(now / 1000)),
    }
  }
  if (!assets) return {}
  // Only the classic flow reports the phone and portfolio; coexistence and WABA-only report the WABA.
  if (scenario === 'success' || scenario === 'tab-closed') {
    const phone = assets.phoneIds[0]
    return {
      ...(phone ? { phone_number_id: phone } : {}),
      waba_id: assets.wabaId,
      business_id: assets.businessId,
    }
  }
  return { waba_id: assets.wabaId }
}

function eventName(request: SignupRequest): string {
  if (request.scenario === 'cancel') return 'CANCEL'
  if (request.scenario === 'error') return request.options.errorEvent
  return FINISH_EVENTS[request.scenario] ?? 'FINISH'
}

/** Plays one Embedded Signup scenario: creates its assets and single-use code, returns what the page sees. */
export async function playScenario(
  state: SandboxState,
  request: SignupRequest,
  now: number,
): Promise<SignupResult> {
  const id = randomUUID()
  const finished = request.scenario in FINISH_EVENTS
  const assets = finished
    ? await createAssets(
        state,
        {
          signupId: id,
          prefill: request.prefill,
          options: request.options,
          phones:
            request.scenario === 'only-waba'
              ? 'none'
              : request.scenario === 'coexistence'
                ? 'business-app'
                : 'cloud-api',
        },
        now,
      )
    : null
  const code = finished ? authorizationCode() : null
  await state.addSignup({
    id,
    scenario: request.scenario,
    createdAt: now,
    code,
    codeIssuedAt: request.options.expiredCode ? now - SANDBOX_CODE_TTL_MS - 1_000 : now,
    businessId: assets?.businessId ?? null,
    wabaId: assets?.wabaId ?? null,
    phoneIds: assets?.phoneIds ?? [],
    options: request.options,
  })
  await state.prune(now, id)
  const data = eventData(request, assets, now)
  return {
    code,
    wabaId: data.waba_id ?? null,
    phoneNumberId: data.phone_number_id ?? null,
    businessId: data.business_id ?? null,
    event: {
      type: 'WA_EMBEDDED_SIGNUP',
      event: eventName(request),
      data,
      version: Number(request.sessionInfoVersion ?? 3),
    },
    authResponse: code
      ? { authResponse: { code, userID: null, expiresIn: null }, status: 'connected' }
      : { authResponse: null, status: 'unknown' },
    sandbox: {
      signupId: id,
      businessId: assets?.businessId ?? null,
      wabaId: assets?.wabaId ?? null,
      phoneNumberIds: assets?.phoneIds ?? [],
    },
  }
}

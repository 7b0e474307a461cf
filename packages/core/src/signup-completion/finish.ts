import type { FinishIds } from '../signup-target'
import { COEXISTENCE_EVENT, type SignupCallbackInput } from './schemas'

/** Meta's WA_EMBEDDED_SIGNUP events that mean the end-user finished and a WABA exists. */
const FINISH_EVENTS = new Set(['FINISH', 'FINISH_ONLY_WABA', COEXISTENCE_EVENT])

/** The FINISH ids the page posted with its callback, or null when it posted no FINISH. */
export function finishFromCallback(input: SignupCallbackInput): FinishIds | null {
  const event = input.event
  if (!event || !FINISH_EVENTS.has(event.event)) return null
  const metaWabaId = event.data.waba_id ?? input.wabaId
  if (!metaWabaId) return null
  return {
    metaWabaId,
    metaPhoneNumberId: event.data.phone_number_id ?? input.phoneNumberId ?? null,
    metaBusinessId: event.data.business_id ?? input.businessId ?? null,
    event: event.event,
  }
}

import { randomInt } from 'node:crypto'
import type { ExchangedToken, MetaPhoneNumber, MetaWaba } from '@onboard/meta'
import { describeMetaFailure, fromMetaError, signupErrors } from './errors'
import type { MetaApp } from './meta-clients'
import { COEXISTENCE_EVENT, type SignupCallbackInput } from './schemas'

/**
 * What the browser says it finished with: a code from FB.login and ids from Meta's message
 * event (or posted by the customer's own page in the popup flow). Ids are claims, checked.
 */
export interface SignupClaims {
  code: string
  /** Only when the code came from a redirect-based dialog; the JS SDK's code has none. */
  redirectUri?: string
  wabaId?: string
  phoneNumberId?: string
  businessId?: string
  /** A coexistence finish: the number stays on the WhatsApp Business app, already registered. */
  isCoexistence: boolean
}

/** The hosted page's callback body as claims; coexistence counts only where it was offered. */
export function claimsFromCallback(
  input: SignupCallbackInput & { code: string },
  allowCoexistence: boolean,
): SignupClaims {
  const data = input.event?.data
  return {
    code: input.code,
    wabaId: input.wabaId ?? data?.waba_id,
    phoneNumberId: input.phoneNumberId ?? data?.phone_number_id,
    businessId: input.businessId ?? data?.business_id,
    isCoexistence: allowCoexistence && input.event?.event === COEXISTENCE_EVENT,
  }
}

/** Everything Meta told us during one completion, gathered before any database write. */
export interface SignupFacts {
  token: ExchangedToken
  waba: MetaWaba
  businessId: string | null
  phones: MetaPhoneNumber[]
  chosen: MetaPhoneNumber
  isCoexistence: boolean
  subscriptionError: string | null
  registration: { pin: string | null; error: string | null }
}

/** A 6-digit two-step verification PIN; never all one digit, which Meta may refuse. */
export function generatePin(): string {
  for (;;) {
    const pin = String(randomInt(0, 1_000_000)).padStart(6, '0')
    if (!/^(\d)\1{5}$/.test(pin)) return pin
  }
}

/** Converts Meta's display forms (`+1 631-555-0123`, `16315550123`) to E.164. */
export function toE164(display: string): string {
  return `+${display.replace(/\D/g, '')}`
}

export async function meta<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw fromMetaError(error, what)
  }
}

/** Browser ids are claims: the WABA must be one the token was granted, when Meta says which. */
async function resolveWabaId(
  app: MetaApp,
  accessToken: string,
  claimed: string | undefined,
): Promise<string> {
  const debug = await app.client.debugToken(accessToken).catch(() => null)
  if (debug && !debug.isValid) throw signupErrors.metaApi('confirm the authorization')
  const granted = debug?.wabaIds ?? []
  if (granted.length > 0) {
    if (claimed && !granted.includes(claimed)) throw signupErrors.wabaNotShared()
    // Meta lists the most recently onboarded WABA first.
    return claimed ?? (granted[0] as string)
  }
  if (!claimed) throw signupErrors.wabaNotFound()
  return claimed
}

export function choosePhone(
  phones: MetaPhoneNumber[],
  claimed: string | undefined,
  preVerified: string[],
): MetaPhoneNumber {
  if (claimed) {
    const match = phones.find((p) => p.id === claimed)
    if (!match) throw signupErrors.phoneNotInWaba()
    return match
  }
  const chosen = phones.find((p) => preVerified.includes(p.id)) ?? phones[0]
  if (!chosen) throw signupErrors.noPhoneNumber()
  return chosen
}

/**
 * The Graph half of DESIGN §3 step 4, in order: exchange the code first (it lives ~30 s and
 * is single-use), find and read the WABA, then subscribe and register. Subscription and
 * registration failures are facts to store, not reasons to lose the connection.
 */
export async function gatherSignupFacts(
  app: MetaApp,
  claims: SignupClaims,
  options: { preVerifiedPhoneIds: string[] },
  isAlreadyConnected: (metaWabaId: string) => Promise<boolean>,
): Promise<SignupFacts> {
  const token = await meta('accept the authorization', () =>
    app.client.exchangeCode(claims.code, { redirectUri: claims.redirectUri }),
  )
  const metaWabaId = await resolveWabaId(app, token.accessToken, claims.wabaId)
  if (await isAlreadyConnected(metaWabaId)) throw signupErrors.wabaAlreadyConnected()

  const [waba, phones] = await Promise.all([
    meta('read the WhatsApp Business Account', () =>
      app.client.getWaba(metaWabaId, token.accessToken),
    ),
    meta('list the phone numbers', () =>
      app.client.listPhoneNumbers(metaWabaId, token.accessToken),
    ),
  ])
  const chosen = choosePhone(phones, claims.phoneNumberId, options.preVerifiedPhoneIds)
  const isCoexistence = claims.isCoexistence

  let subscriptionError: string | null = null
  try {
    await app.client.subscribeApp(metaWabaId, token.accessToken)
  } catch (error) {
    subscriptionError = describeMetaFailure(error)
  }

  const registration: SignupFacts['registration'] = { pin: null, error: null }
  // A coexistence number is live on the WhatsApp Business app and already registered.
  if (!isCoexistence) {
    const pin = generatePin()
    try {
      await app.client.registerPhone(chosen.id, pin, token.accessToken)
      registration.pin = pin
    } catch (error) {
      registration.error = describeMetaFailure(error)
    }
  }

  return {
    token,
    waba,
    businessId: waba.ownerBusiness?.id ?? claims.businessId ?? null,
    phones,
    chosen,
    isCoexistence,
    subscriptionError,
    registration,
  }
}

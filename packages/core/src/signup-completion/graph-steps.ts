import { randomInt } from 'node:crypto'
import {
  type ExchangedToken,
  isMetaError,
  type MetaPhoneNumber,
  type MetaWaba,
} from '@onboard/meta'
import type { MetaApp } from '../meta-apps'
import { sessionErrors } from '../sessions/errors'
import { describeMetaFailure, fromMetaError, signupErrors } from './errors'
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
function generatePin(): string {
  for (;;) {
    const pin = String(randomInt(0, 1_000_000)).padStart(6, '0')
    if (!/^(\d)\1{5}$/.test(pin)) return pin
  }
}

/** Converts Meta's display forms (`+1 631-555-0123`, `16315550123`) to E.164. */
export function toE164(display: string): string {
  return `+${display.replace(/\D/g, '')}`
}

async function meta<T>(what: string, call: () => Promise<T>): Promise<T> {
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

function choosePhone(
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

/** How a Graph step failure becomes the caller's AppError (the code flow's by default). */
type GraphStep = <T>(what: string, call: () => Promise<T>) => Promise<T>

/** What the WABA-side steps need once the WABA is known and a token can reach it. */
interface WabaAccess {
  accessToken: string
  metaWabaId: string
  /** The number the signup named, if any; it must be one of the WABA's. */
  claimedPhoneId?: string
  preVerifiedPhoneIds: string[]
  isCoexistence: boolean
}

/**
 * Registers the chosen number with a generated PIN, then reads it again: Meta now reports it
 * CONNECTED on the Cloud API, and the listing read before registration said PENDING.
 */
async function registerChosen(
  app: MetaApp,
  chosen: MetaPhoneNumber,
  accessToken: string,
): Promise<{ registration: SignupFacts['registration']; chosen: MetaPhoneNumber }> {
  const pin = generatePin()
  try {
    await app.client.registerPhone(chosen.id, pin, accessToken)
  } catch (error) {
    return { registration: { pin: null, error: describeMetaFailure(error) }, chosen }
  }
  // If the re-read fails, a successful register is itself Meta's word that the number is
  // now a connected Cloud API number.
  const fresh = await app.client
    .getPhoneNumber(chosen.id, accessToken)
    .catch(() => ({ ...chosen, status: 'CONNECTED', platformType: 'CLOUD_API' }))
  return { registration: { pin, error: null }, chosen: fresh }
}

/**
 * The Graph steps every completion shares once the WABA is known: read it and its numbers,
 * choose the number, subscribe our app, register the number (not in coexistence) and read
 * it again. Subscription and registration failures are facts to store, not reasons to lose
 * the connection. `step` maps a failed read onto the caller's error.
 */
async function connectWabaOnGraph(
  app: MetaApp,
  access: WabaAccess,
  step: GraphStep = meta,
): Promise<Omit<SignupFacts, 'token' | 'businessId'>> {
  const { accessToken, metaWabaId } = access
  const [waba, listed] = await Promise.all([
    step('read the WhatsApp Business Account', () => app.client.getWaba(metaWabaId, accessToken)),
    step('list the phone numbers', () => app.client.listPhoneNumbers(metaWabaId, accessToken)),
  ])
  let chosen = choosePhone(listed, access.claimedPhoneId, access.preVerifiedPhoneIds)

  let subscriptionError: string | null = null
  try {
    await app.client.subscribeApp(metaWabaId, accessToken)
  } catch (error) {
    subscriptionError = describeMetaFailure(error)
  }

  let registration: SignupFacts['registration'] = { pin: null, error: null }
  // A coexistence number is live on the WhatsApp Business app and already registered.
  if (!access.isCoexistence) {
    ;({ registration, chosen } = await registerChosen(app, chosen, accessToken))
  }
  const phones = listed.map((phone) => (phone.id === chosen.id ? chosen : phone))
  return {
    waba,
    phones,
    chosen,
    isCoexistence: access.isCoexistence,
    subscriptionError,
    registration,
  }
}

/**
 * The Graph half of DESIGN §3 step 4, in order: exchange the code first (it lives ~30 s and
 * is single-use), find the WABA the token was granted, then the shared WABA steps.
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

  const connected = await connectWabaOnGraph(app, {
    accessToken: token.accessToken,
    metaWabaId,
    claimedPhoneId: claims.phoneNumberId,
    preVerifiedPhoneIds: options.preVerifiedPhoneIds,
    isCoexistence: claims.isCoexistence,
  })
  return {
    ...connected,
    token,
    businessId: connected.waba.ownerBusiness?.id ?? claims.businessId ?? null,
  }
}

/** A manual completion's reads: a WABA our system user cannot read was not shared with us. */
async function readWithSystemUser<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (isMetaError(error) && error.code === 'permission_denied')
      throw sessionErrors.wabaNotReadable()
    if (isMetaError(error) && error.graph?.code === 100) throw sessionErrors.wabaNotReadable()
    throw fromMetaError(error, what)
  }
}

/**
 * The Graph half of a manual completion: no code to exchange, so the platform's system-user
 * token reads the WABA, then the same WABA steps as the page.
 */
export async function gatherFactsWithSystemUser(
  app: MetaApp,
  token: string,
  input: {
    metaWabaId: string
    claimedPhoneId: string | null
    isCoexistence?: boolean
    preVerifiedPhoneIds?: string[]
  },
): Promise<SignupFacts> {
  const connected = await connectWabaOnGraph(
    app,
    {
      accessToken: token,
      metaWabaId: input.metaWabaId,
      claimedPhoneId: input.claimedPhoneId ?? undefined,
      preVerifiedPhoneIds: input.preVerifiedPhoneIds ?? [],
      isCoexistence: input.isCoexistence ?? false,
    },
    readWithSystemUser,
  )
  return {
    ...connected,
    // The WABA's later Graph reads (health, connection) use the token that can read it.
    token: { accessToken: token, expiresAt: null },
    businessId: connected.waba.ownerBusiness?.id ?? null,
  }
}

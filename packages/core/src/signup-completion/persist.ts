import { accountsStore, type Db, isUniqueViolation, type NewPhoneNumber } from '@onboard/db'
import { businessProfileIdOf } from '../business-profiles/ids'
import type { CoreContext } from '../context'
import { recordEvent } from '../events/record'
import { newUuid } from '../ids'
import { claimInstall } from '../meta-webhooks/installs'
import { encryptSecret, type Keyring } from '../secrets'
import type { ConnectionIds, SignupTarget } from '../signup-target'
import { signupErrors } from './errors'
import { type SignupFacts, toE164 } from './graph-steps'
import type { EmbeddedSignupEvent } from './schemas'

export interface PersistedConnection {
  wabaId: string
  phoneId: string
  phoneNumber: string
  isPhoneRegistered: boolean
  /** Outbox deliveries of `phone_number.connected`, handed to `ctx.queue` once committed. */
  deliveryIds: string[]
}

/** Thrown inside the transaction to roll it back when the target cannot be completed. */
class TargetNotMarked extends Error {
  constructor(readonly reason: 'no_longer_pending' | 'gone') {
    super(reason)
  }
}

/** What one completion writes, gathered once so the steps below read plainly. */
interface Write {
  target: SignupTarget
  facts: SignupFacts
  event: EmbeddedSignupEvent | null | undefined
  keyring: Keyring
  /** ISO time of the completion. */
  now: string
}

/**
 * DESIGN §3 step 4's one short transaction, after every Graph call is done: WABA, phones,
 * encrypted token and PIN, metadata copied to the phone, the target (link or session)
 * completed, the install claimed, phone_number.connected in the outbox. The target's update
 * is guarded by its status, so of two racing completions exactly one commits.
 */
export async function persistConnection(
  ctx: CoreContext,
  target: SignupTarget,
  facts: SignupFacts,
  event: EmbeddedSignupEvent | null | undefined,
): Promise<PersistedConnection> {
  const write: Write = { target, facts, event, keyring: ctx.keyring, now: ctx.now().toISOString() }
  let connection: PersistedConnection
  try {
    connection = await ctx.db.transaction().execute(async (trx) => {
      // One owner per Meta WABA and mode, whichever organisation: the partial unique index
      // wabas_one_connected_owner holds it even against a racing completion.
      const holder = (await accountsStore.connectedWaba(trx, target.tenant.mode, facts.waba.id))?.id
      if (holder !== undefined) throw signupErrors.wabaAlreadyConnected()
      const connection = await writeAccounts(trx, write)
      const ids: ConnectionIds = {
        wabaId: connection.wabaId,
        phoneId: connection.phoneId,
        now: write.now,
        metaEvent: event?.event ?? null,
        metaSessionId: event?.data.session_id ?? null,
      }
      const marked = await target.markCompleted(trx, ids)
      if (marked !== 'marked') throw new TargetNotMarked(marked)
      await target.beforeEvent?.(trx, ids)
      // The install Meta sent for this signup is used up: no other session may claim it. The
      // popup flow has no link or session; its business profile (the WABA row) claims it.
      await claimInstall(trx, {
        mode: target.tenant.mode,
        metaWabaId: facts.waba.id,
        claimant: target.id ?? businessProfileIdOf(connection.wabaId),
        now: write.now,
      })
      connection.deliveryIds = await recordConnected(trx, ctx.now(), write, connection)
      return connection
    })
  } catch (error) {
    if (error instanceof TargetNotMarked) {
      // A session deleted during its callback is gone, not "already completed".
      throw error.reason === 'gone' ? target.notFound() : target.alreadyCompleted()
    }
    if (isUniqueViolation(error)) throw signupErrors.wabaAlreadyConnected()
    throw error
  }
  // Committed: phone_number.connected goes to the worker now (the relay covers a lost hand-off).
  await ctx.queue.deliveries(connection.deliveryIds)
  return connection
}

/**
 * The WABA and its phones, inserted or updated. A WABA that was uninstalled and is signed up
 * again keeps its id, and its phones theirs, so the customer's webhooks scoped to it and the
 * ids they stored stay valid.
 */
async function writeAccounts(trx: Db, write: Write): Promise<PersistedConnection> {
  const { target, facts } = write
  const previous = await accountsStore.findWabaByMetaId(trx, target.tenant, facts.waba.id)
  const wabaId = previous?.id ?? newUuid()
  const knownPhoneIds = new Map<string, string>()
  if (previous) {
    const phones = await accountsStore.phonesOfWaba(trx, target.tenant, previous.id)
    for (const phone of phones) knownPhoneIds.set(phone.meta_phone_number_id, phone.id)
  }
  const rows = facts.phones.map((phone) =>
    phoneRowOf(write, phone, wabaId, knownPhoneIds.get(phone.id) ?? newUuid()),
  )
  const chosen = rows.find((row) => row.meta_phone_number_id === facts.chosen.id)
  if (!chosen) throw new Error('the chosen phone is not among the WABA phones')
  const wabaRow = wabaRowOf(write)
  if (previous) {
    await accountsStore.updateWaba(trx, wabaId, wabaRow)
  } else {
    await accountsStore.insertWaba(trx, {
      id: wabaId,
      organization_id: target.tenant.organizationId,
      mode: target.tenant.mode,
      meta_waba_id: facts.waba.id,
      ...wabaRow,
      created_at: write.now,
    })
  }
  for (const row of rows) {
    if (knownPhoneIds.has(row.meta_phone_number_id)) {
      const { id, created_at: _created, ...changes } = row
      await accountsStore.updatePhone(trx, id, changes)
    } else {
      await accountsStore.insertPhone(trx, row)
    }
  }
  return {
    wabaId,
    phoneId: chosen.id,
    phoneNumber: chosen.phone_number,
    isPhoneRegistered: chosen.is_registered === 1,
    deliveryIds: [],
  }
}

/** The WABA's columns a completion sets, whether the row is new or signed up again. */
function wabaRowOf({ target, facts, event, keyring, now }: Write) {
  return {
    meta_business_id: facts.businessId,
    business_name: facts.waba.ownerBusiness?.name ?? null,
    name: facts.waba.name,
    currency: facts.waba.currency,
    timezone_id: facts.waba.timezoneId,
    access_token_enc: encryptSecret(keyring, facts.token.accessToken),
    token_expires_at: facts.token.expiresAt?.toISOString() ?? null,
    // A new token: whatever Meta said about the last one no longer holds.
    token_invalid_at: null,
    token_error: null,
    connected_account: JSON.stringify(connectedAccountOf(event)),
    source: 'embedded_signup' as const,
    status: 'connected' as const,
    disconnected_reason: null,
    is_subscribed: facts.subscriptionError === null ? 1 : 0,
    subscription_error: facts.subscriptionError,
    metadata: target.metadata,
    onboarding_link_id: target.onboardingLinkId,
    external_id: target.externalId,
    updated_at: now,
  }
}

/** What Embedded Signup's FINISH said was shared besides the WABA. */
function connectedAccountOf(event: EmbeddedSignupEvent | null | undefined) {
  const data = event?.data
  return {
    pageIds: data?.page_ids ?? [],
    datasetIds: data?.dataset_ids ?? [],
    catalogIds: data?.catalog_ids ?? [],
    instagramAccountIds: data?.instagram_account_ids ?? [],
    adAccountIds: data?.ad_account_ids ?? [],
  }
}

/**
 * One phone of the WABA. The chosen one carries the registration, the PIN and the target's
 * metadata; the others count as registered when Meta already lists them on the Cloud API.
 */
function phoneRowOf(
  { target, facts, keyring, now }: Write,
  phone: SignupFacts['phones'][number],
  wabaId: string,
  id: string,
): NewPhoneNumber {
  const isChosen = phone.id === facts.chosen.id
  const isRegistered = isChosen
    ? facts.isCoexistence || facts.registration.pin !== null
    : phone.platformType === 'CLOUD_API'
  return {
    id,
    organization_id: target.tenant.organizationId,
    mode: target.tenant.mode,
    waba_id: wabaId,
    meta_phone_number_id: phone.id,
    phone_number: toE164(phone.displayPhoneNumber),
    display_phone_number: phone.displayPhoneNumber,
    verified_name: phone.verifiedName,
    quality_rating: phone.qualityRating,
    code_verification_status: phone.codeVerificationStatus,
    platform_type: phone.platformType,
    meta_status: phone.status,
    name_status: phone.nameStatus,
    is_registered: isRegistered ? 1 : 0,
    registration_error: isChosen ? facts.registration.error : null,
    pin_enc:
      isChosen && facts.registration.pin ? encryptSecret(keyring, facts.registration.pin) : null,
    is_coexistence: isChosen && facts.isCoexistence ? 1 : 0,
    metadata: isChosen ? target.metadata : null,
    onboarding_link_id: isChosen ? target.onboardingLinkId : null,
    external_id: isChosen ? target.externalId : null,
    last_health: null,
    last_health_at: null,
    created_at: now,
    updated_at: now,
  }
}

/** phone_number.connected in the outbox, in the completion's transaction. */
async function recordConnected(
  trx: Db,
  now: Date,
  { target, facts }: Write,
  connection: PersistedConnection,
): Promise<string[]> {
  const recorded = await recordEvent(trx, {
    tenant: target.tenant,
    type: 'phone_number.connected',
    wabaId: connection.wabaId,
    now,
    data: {
      ...target.eventFields,
      businessProfileId: businessProfileIdOf(connection.wabaId),
      phoneNumberId: connection.phoneId,
      phoneNumber: connection.phoneNumber,
      wabaId: connection.wabaId,
      metaWabaId: facts.waba.id,
      isPhoneRegistered: connection.isPhoneRegistered,
    },
  })
  return recorded.deliveryIds
}

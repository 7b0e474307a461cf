import { accountsStore, isUniqueViolation, type NewPhoneNumber } from '@onboard/db'
import { businessProfileIdOf } from '../business-profiles/ids'
import type { CoreContext } from '../context'
import { recordEvent } from '../events/record'
import { newUuid } from '../ids'
import { claimInstall } from '../meta-webhooks/installs'
import { encryptSecret } from '../secrets'
import { signupErrors } from './errors'
import { type SignupFacts, toE164 } from './graph-steps'
import type { EmbeddedSignupEvent } from './schemas'
import type { CompletionSubject } from './subject'

export interface PersistedConnection {
  wabaId: string
  phoneId: string
  phoneNumber: string
  isPhoneRegistered: boolean
  /** Outbox deliveries of `phone_number.connected`, handed to `ctx.queue` once committed. */
  deliveryIds: string[]
}

/** Thrown inside the transaction to roll it back when the subject cannot be completed. */
class SubjectNotMarked extends Error {
  constructor(readonly reason: 'no_longer_pending' | 'gone') {
    super(reason)
  }
}

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
 * DESIGN §3 step 4's one short transaction, after every Graph call is done: WABA, phones,
 * encrypted token and PIN, metadata copied to the phone, the subject (link or session)
 * completed, phone_number.connected in the outbox. The subject's update is guarded by its
 * status, so of two racing completions exactly one commits.
 */
export async function persistConnection(
  ctx: CoreContext,
  subject: CompletionSubject,
  facts: SignupFacts,
  event: EmbeddedSignupEvent | null | undefined,
): Promise<PersistedConnection> {
  const now = ctx.now().toISOString()
  const key = ctx.keyring
  const scope = { organization_id: subject.tenant.organizationId, mode: subject.tenant.mode }

  /** The rows for a WABA id, reusing the ids of phones a previous connection left behind. */
  const buildPhoneRows = (wabaId: string, knownPhoneIds: ReadonlyMap<string, string>) => {
    let chosen: PersistedConnection | undefined
    const rows: NewPhoneNumber[] = facts.phones.map((phone) => {
      const isChosen = phone.id === facts.chosen.id
      const isRegistered = isChosen
        ? facts.isCoexistence || facts.registration.pin !== null
        : phone.platformType === 'CLOUD_API'
      const row: NewPhoneNumber = {
        id: knownPhoneIds.get(phone.id) ?? newUuid(),
        ...scope,
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
          isChosen && facts.registration.pin ? encryptSecret(key, facts.registration.pin) : null,
        is_coexistence: isChosen && facts.isCoexistence ? 1 : 0,
        metadata: isChosen ? subject.metadata : null,
        onboarding_link_id: isChosen ? subject.onboardingLinkId : null,
        external_id: isChosen ? subject.externalId : null,
        last_health: null,
        last_health_at: null,
        created_at: now,
        updated_at: now,
      }
      if (isChosen) {
        chosen = {
          wabaId,
          phoneId: row.id,
          phoneNumber: row.phone_number,
          isPhoneRegistered: isRegistered,
          deliveryIds: [],
        }
      }
      return row
    })
    if (!chosen) throw new Error('the chosen phone is not among the WABA phones')
    return { rows, connection: chosen }
  }

  let connection: PersistedConnection
  try {
    connection = await ctx.db.transaction().execute(async (trx) => {
      // One owner per Meta WABA and mode, whichever organisation: the partial unique index
      // wabas_one_connected_owner holds it even against a racing completion.
      const holder = await accountsStore.connectedWabaId(trx, scope.mode, facts.waba.id)
      if (holder !== undefined) throw signupErrors.wabaAlreadyConnected()
      const previous = await accountsStore.findWabaByMetaId(trx, subject.tenant, facts.waba.id)
      // A WABA that was uninstalled and is signed up again keeps its id, so the customer's
      // webhooks scoped to it and the ids they stored stay valid.
      const wabaId = previous?.id ?? newUuid()
      const knownPhoneIds = new Map<string, string>()
      if (previous) {
        const phones = await accountsStore.phonesOfWaba(trx, subject.tenant, previous.id)
        for (const phone of phones) knownPhoneIds.set(phone.meta_phone_number_id, phone.id)
      }
      const built = buildPhoneRows(wabaId, knownPhoneIds)
      const connection = built.connection
      const wabaRow = {
        meta_business_id: facts.businessId,
        business_name: facts.waba.ownerBusiness?.name ?? null,
        name: facts.waba.name,
        currency: facts.waba.currency,
        timezone_id: facts.waba.timezoneId,
        access_token_enc: encryptSecret(key, facts.token.accessToken),
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
        metadata: subject.metadata,
        onboarding_link_id: subject.onboardingLinkId,
        external_id: subject.externalId,
        updated_at: now,
      }
      if (previous) {
        await accountsStore.updateWaba(trx, wabaId, wabaRow)
      } else {
        await accountsStore.insertWaba(trx, {
          id: wabaId,
          ...scope,
          meta_waba_id: facts.waba.id,
          ...wabaRow,
          created_at: now,
        })
      }
      for (const row of built.rows) {
        if (knownPhoneIds.has(row.meta_phone_number_id)) {
          const { id, created_at: _created, ...changes } = row
          await accountsStore.updatePhone(trx, id, changes)
        } else {
          await accountsStore.insertPhone(trx, row)
        }
      }
      const ids = {
        wabaId,
        phoneId: connection.phoneId,
        now,
        metaEvent: event?.event ?? null,
        metaSessionId: event?.data.session_id ?? null,
      }
      const marked = await subject.markCompleted(trx, ids)
      if (marked !== 'marked') throw new SubjectNotMarked(marked)
      await subject.beforeEvent?.(trx, ids)
      // The install Meta sent for this signup is used up: no other session may claim it. The
      // popup flow has no link or session; its business profile (the WABA row) claims it.
      await claimInstall(trx, {
        mode: scope.mode,
        metaWabaId: facts.waba.id,
        claimant: subject.id ?? businessProfileIdOf(wabaId),
        now,
      })
      const recorded = await recordEvent(trx, {
        tenant: subject.tenant,
        type: 'phone_number.connected',
        wabaId,
        now: ctx.now(),
        data: {
          ...subject.eventFields,
          businessProfileId: businessProfileIdOf(wabaId),
          phoneNumberId: connection.phoneId,
          phoneNumber: connection.phoneNumber,
          wabaId,
          metaWabaId: facts.waba.id,
          isPhoneRegistered: connection.isPhoneRegistered,
        },
      })
      connection.deliveryIds = recorded.deliveryIds
      return connection
    })
  } catch (error) {
    if (error instanceof SubjectNotMarked) {
      // A session deleted during its callback is gone, not "already completed".
      throw error.reason === 'gone' ? subject.notFound() : subject.alreadyCompleted()
    }
    if (isUniqueViolation(error)) throw signupErrors.wabaAlreadyConnected()
    throw error
  }
  // Committed: phone_number.connected goes to the worker now (the relay covers a lost hand-off).
  await ctx.queue.deliveries(connection.deliveryIds)
  return connection
}

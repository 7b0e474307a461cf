import type { NewPhoneNumber } from '@onboard/db'
import { businessProfileIdOf } from '../business-profiles/ids'
import type { CoreContext } from '../context'
import { recordEvent } from '../events/record'
import { newUuid } from '../ids'
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
  /** Outbox deliveries of `phone_number.connected`, to enqueue once committed. */
  deliveryIds: string[]
}

/** Thrown inside the transaction to roll it back when another completion won the race. */
class SubjectNoLongerPending extends Error {}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE'
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
  const key = ctx.encryptionKey
  const wabaId = newUuid()
  const scope = { organization_id: subject.tenant.organizationId, mode: subject.tenant.mode }
  let chosen: PersistedConnection | undefined

  const phoneRows: NewPhoneNumber[] = facts.phones.map((phone) => {
    const isChosen = phone.id === facts.chosen.id
    const isRegistered = isChosen
      ? facts.isCoexistence || facts.registration.pin !== null
      : phone.platformType === 'CLOUD_API'
    const row: NewPhoneNumber = {
      id: newUuid(),
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
  const connection = chosen

  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('wabas')
        .values({
          id: wabaId,
          ...scope,
          meta_waba_id: facts.waba.id,
          meta_business_id: facts.businessId,
          business_name: facts.waba.ownerBusiness?.name ?? null,
          name: facts.waba.name,
          currency: facts.waba.currency,
          timezone_id: facts.waba.timezoneId,
          access_token_enc: encryptSecret(key, facts.token.accessToken),
          token_expires_at: facts.token.expiresAt?.toISOString() ?? null,
          connected_account: JSON.stringify(connectedAccountOf(event)),
          source: 'embedded_signup',
          status: 'connected',
          is_subscribed: facts.subscriptionError === null ? 1 : 0,
          subscription_error: facts.subscriptionError,
          metadata: subject.metadata,
          onboarding_link_id: subject.onboardingLinkId,
          external_id: subject.externalId,
          created_at: now,
          updated_at: now,
        })
        .execute()
      await trx.insertInto('phone_numbers').values(phoneRows).execute()
      const ids = {
        wabaId,
        phoneId: connection.phoneId,
        now,
        metaEvent: event?.event ?? null,
        metaSessionId: event?.data.session_id ?? null,
      }
      if (!(await subject.markCompleted(trx, ids))) throw new SubjectNoLongerPending()
      await subject.beforeEvent?.(trx, ids)
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
    })
  } catch (error) {
    if (error instanceof SubjectNoLongerPending) throw subject.alreadyCompleted()
    if (isUniqueViolation(error)) throw signupErrors.wabaAlreadyConnected()
    throw error
  }
  return connection
}

import { accountsStore } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { errors } from '../errors'
import { businessProfileIdOf } from './ids'
import type { BusinessProfile } from './schemas'

/**
 * The business profile of one of our WABAs: a view over the WABA row and its phones (the
 * documented shape maps onto them), so there is one source of truth and no second table.
 */
export async function getBusinessProfileOfWaba(
  ctx: CoreContext,
  tenant: Tenant,
  wabaId: string,
): Promise<BusinessProfile> {
  const waba = await accountsStore.findOwnedWaba(ctx.db, tenant, wabaId)
  if (!waba) throw errors.notFound('business profile')
  const phones = await accountsStore.phonesOfWabas(ctx.db, [waba.id])
  return {
    id: businessProfileIdOf(waba.id),
    organizationId: waba.organization_id,
    metaWabaId: waba.meta_waba_id,
    metaBusinessId: waba.meta_business_id,
    businessName: waba.business_name,
    tokenExpiresAt: waba.token_expires_at,
    // The WABA row is written in the transaction that completes the onboarding.
    onboardingCompletedAt: waba.created_at,
    createdAt: waba.created_at,
    phoneNumbers: phones.map((phone) => ({
      id: phone.id,
      displayPhoneNumber: phone.phone_number,
      metaPhoneNumberId: phone.meta_phone_number_id,
      verified: phone.code_verification_status === 'VERIFIED',
      qualityRating: phone.quality_rating,
    })),
    isTestProfile: waba.mode === 'test',
  }
}

import type { PhoneNumberRow, WabaRow } from '@onboard/db'
import { isMetaError } from '@onboard/meta'
import { parseJson } from '../shared/json'
import type { ConnectedAccount, GraphLookupError, Phone, Waba } from './schemas'

interface StoredAccount {
  pageIds: string[]
  datasetIds: string[]
  catalogIds: string[]
  instagramAccountIds: string[]
}

function storedAccount(row: WabaRow): StoredAccount {
  const stored = parseJson<Partial<StoredAccount>>(row.connected_account) ?? {}
  return {
    pageIds: stored.pageIds ?? [],
    datasetIds: stored.datasetIds ?? [],
    catalogIds: stored.catalogIds ?? [],
    instagramAccountIds: stored.instagramAccountIds ?? [],
  }
}

export function toWaba(row: WabaRow): Waba {
  const account = storedAccount(row)
  return {
    id: row.id,
    metaWabaId: row.meta_waba_id,
    name: row.name,
    currency: row.currency,
    timezoneId: row.timezone_id,
    ownerBusiness: row.meta_business_id
      ? { id: row.meta_business_id, name: row.business_name }
      : null,
    datasetId: account.datasetIds[0] ?? null,
    pageId: account.pageIds[0] ?? null,
    status: row.status,
    isSubscribed: row.is_subscribed === 1,
    metadata: parseJson(row.metadata),
    externalId: row.external_id,
    onboardingLinkId: row.onboarding_link_id,
    isTestProfile: row.mode === 'test',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/**
 * What Embedded Signup shared, from what we stored at completion; a live lookup may refresh
 * the WABA's own facts (`waba`), and its failures are listed, never thrown.
 */
export function toConnectedAccount(
  row: WabaRow,
  live: { waba?: Waba; graphLookupErrors?: GraphLookupError[] } = {},
): ConnectedAccount {
  const waba = live.waba ?? toWaba(row)
  const account = storedAccount(row)
  const selectedPageId = account.pageIds[0] ?? null
  return {
    source: 'embedded_signup',
    business: waba.ownerBusiness,
    waba: { id: waba.id, metaWabaId: waba.metaWabaId, name: waba.name, currency: waba.currency },
    pageIds: account.pageIds,
    selectedPageId,
    // Page names need a Graph read we do not make; ids are what onboarding captured.
    pages: account.pageIds.map((id) => ({
      id,
      name: null,
      isFromOnboarding: true,
      isSelectedForCapi: id === selectedPageId,
    })),
    datasetIds: account.datasetIds,
    selectedDatasetId: account.datasetIds[0] ?? null,
    catalogIds: account.catalogIds,
    instagramAccountIds: account.instagramAccountIds,
    marketingMessagesOnboardingStatus: null,
    graphLookupErrors: live.graphLookupErrors ?? [],
  }
}

export function toPhone(row: PhoneNumberRow, metaWabaId: string): Phone {
  return {
    id: row.id,
    phoneNumber: row.phone_number,
    displayPhoneNumber: row.display_phone_number,
    metaPhoneNumberId: row.meta_phone_number_id,
    verifiedName: row.verified_name,
    qualityRating: row.quality_rating,
    status: row.meta_status,
    codeVerificationStatus: row.code_verification_status,
    platformType: row.platform_type,
    nameStatus: row.name_status,
    isRegistered: row.is_registered === 1,
    isCoexistence: row.is_coexistence === 1,
    wabaId: row.waba_id,
    metaWabaId,
    onboardingLinkId: row.onboarding_link_id,
    externalId: row.external_id,
    metadata: parseJson(row.metadata),
    isTestProfile: row.mode === 'test',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** A failed live Graph read, listed beside the stored facts instead of thrown. */
export function lookupError(operation: string, error: unknown): GraphLookupError {
  if (isMetaError(error)) return { operation, code: error.code, message: error.message }
  return { operation, code: 'lookup_failed', message: 'The lookup failed unexpectedly.' }
}

import type { SandboxBusiness, SandboxPhone, SandboxWaba } from '../state'
import type { GraphContext } from './context'
import { GraphFailure, graphErrors } from './errors'
import { healthStatus } from './health'

type FieldMap = Record<string, () => unknown>

/** Graph's time format: `2023-08-22T19:05:53+0000`. */
function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000')
}

export const PHONE_DEFAULT_FIELDS = [
  'id',
  'display_phone_number',
  'verified_name',
  'quality_rating',
]
export const WABA_DEFAULT_FIELDS = [
  'id',
  'name',
  'currency',
  'timezone_id',
  'message_template_namespace',
]

function wabaFields(
  waba: SandboxWaba,
  owner: SandboxBusiness | undefined,
  ctx: GraphContext,
): FieldMap {
  const ownerInfo = () => ({ name: owner?.name ?? waba.name, id: waba.businessId })
  return {
    id: () => waba.id,
    name: () => waba.name,
    currency: () => waba.currency,
    timezone_id: () => waba.timezoneId,
    message_template_namespace: () => waba.messageTemplateNamespace,
    owner_business_info: ownerInfo,
    on_behalf_of_business_info: () => ({ ...ownerInfo(), status: 'APPROVED', type: 'SELF' }),
    account_review_status: () => 'APPROVED',
    business_verification_status: () => 'verified',
    country: () => 'US',
    ownership_type: () => 'CLIENT_OWNED',
    health_status: () => healthStatus({ waba, appId: ctx.appId }),
  }
}

function phoneFields(
  phone: SandboxPhone,
  waba: SandboxWaba | undefined,
  ctx: GraphContext,
): FieldMap {
  return {
    id: () => phone.id,
    display_phone_number: () => phone.displayPhoneNumber,
    verified_name: () => phone.verifiedName,
    quality_rating: () => phone.qualityRating,
    code_verification_status: () => phone.codeVerificationStatus,
    platform_type: () => phone.platformType,
    status: () => phone.status,
    name_status: () => phone.nameStatus,
    new_name_status: () => 'NONE',
    throughput: () => ({ level: phone.isOnBizApp ? 'COEXISTENCE' : 'STANDARD' }),
    messaging_limit_tier: () => 'TIER_250',
    last_onboarded_time: () => graphTime(phone.lastOnboardedAt),
    is_on_biz_app: () => phone.isOnBizApp,
    is_pin_enabled: () => phone.pin !== null,
    is_official_business_account: () => false,
    account_mode: () => 'LIVE',
    health_status: () => (waba ? healthStatus({ waba, phone, appId: ctx.appId }) : undefined),
  }
}

function businessFields(business: SandboxBusiness): FieldMap {
  return {
    id: () => business.id,
    name: () => business.name,
    verification_status: () => 'verified',
  }
}

/** Answers a field selection; an unknown field is Graph's (#100) error, naming the node type. */
function select(fields: string[], map: FieldMap, nodeType: string, id: string) {
  const out: Record<string, unknown> = {}
  for (const field of fields) {
    const read = map[field]
    if (!read) throw new GraphFailure(graphErrors.nonexistingField(field, nodeType))
    const value = read()
    if (value !== undefined) out[field] = value
  }
  // Graph always includes the id of the node it answered for.
  if (out.id === undefined) out.id = id
  return out
}

export async function renderWaba(waba: SandboxWaba, fields: string[], ctx: GraphContext) {
  const owner = await ctx.state.business(waba.businessId)
  return select(fields, wabaFields(waba, owner, ctx), 'WhatsAppBusinessAccount', waba.id)
}

/** `waba` when the caller has it already (a page of one WABA's numbers); read otherwise. */
export async function renderPhone(
  phone: SandboxPhone,
  fields: string[],
  ctx: GraphContext,
  waba?: SandboxWaba,
) {
  const owner = waba?.id === phone.wabaId ? waba : await ctx.state.waba(phone.wabaId)
  return select(fields, phoneFields(phone, owner, ctx), 'WhatsAppBusinessPhoneNumber', phone.id)
}

export function renderBusiness(business: SandboxBusiness, fields: string[]) {
  return select(fields, businessFields(business), 'Business', business.id)
}

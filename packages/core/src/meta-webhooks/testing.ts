import { accountsStore, type Mode } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { newUuid } from '../ids'
import { encryptSecret } from '../secrets'

export interface ConnectedPhoneFixture {
  wabaId: string
  phoneId: string
  metaWabaId: string
  metaPhoneNumberId: string
  phoneNumber: string
}

let counter = 0
const metaId = (prefix: string) => `${prefix}${Date.now()}${String(++counter).padStart(4, '0')}`

/**
 * A connected WABA with one registered phone, written straight to the tables, for tests of
 * what happens after a sign-up (inbound webhooks). Ids default to fresh 15+-digit values.
 */
export async function insertConnectedPhone(
  ctx: CoreContext,
  tenant: Tenant,
  input: Partial<Omit<ConnectedPhoneFixture, 'wabaId' | 'phoneId'>> = {},
): Promise<ConnectedPhoneFixture> {
  const now = ctx.now().toISOString()
  const fixture: ConnectedPhoneFixture = {
    wabaId: newUuid(),
    phoneId: newUuid(),
    metaWabaId: input.metaWabaId ?? metaId('1'),
    metaPhoneNumberId: input.metaPhoneNumberId ?? metaId('2'),
    phoneNumber: input.phoneNumber ?? '+15550100001',
  }
  const scope: { organization_id: string; mode: Mode } = {
    organization_id: tenant.organizationId,
    mode: tenant.mode,
  }
  await accountsStore.insertWaba(ctx.db, {
    id: fixture.wabaId,
    ...scope,
    meta_waba_id: fixture.metaWabaId,
    meta_business_id: null,
    business_name: null,
    name: 'Fixture WABA',
    currency: 'USD',
    timezone_id: '1',
    access_token_enc: encryptSecret(ctx.keyring, 'EAAfixture'),
    token_expires_at: null,
    connected_account: '{}',
    source: 'embedded_signup',
    status: 'connected',
    is_subscribed: 1,
    subscription_error: null,
    metadata: null,
    onboarding_link_id: null,
    external_id: null,
    created_at: now,
    updated_at: now,
  })
  await accountsStore.insertPhone(ctx.db, {
    id: fixture.phoneId,
    ...scope,
    waba_id: fixture.wabaId,
    meta_phone_number_id: fixture.metaPhoneNumberId,
    phone_number: fixture.phoneNumber,
    display_phone_number: fixture.phoneNumber,
    verified_name: 'Fixture',
    quality_rating: 'GREEN',
    code_verification_status: 'VERIFIED',
    platform_type: 'CLOUD_API',
    meta_status: 'CONNECTED',
    name_status: 'APPROVED',
    is_registered: 1,
    registration_error: null,
    pin_enc: null,
    is_coexistence: 0,
    metadata: null,
    onboarding_link_id: null,
    external_id: 'customer-123',
    last_health: null,
    last_health_at: null,
    created_at: now,
    updated_at: now,
  })
  return fixture
}

type MetaIds = Pick<ConnectedPhoneFixture, 'metaWabaId' | 'metaPhoneNumberId'>

/** Meta's `messages` webhook body for this phone with `value`'s messages or statuses. */
function messagesWebhook(phone: MetaIds, value: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: phone.metaWabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '15550100001',
                phone_number_id: phone.metaPhoneNumberId,
              },
              ...value,
            },
          },
        ],
      },
    ],
  })
}

/** Meta's body for one inbound text message to this phone, as JSON text (a test fixture). */
export function inboundTextWebhook(phone: MetaIds, messageId: string): string {
  return messagesWebhook(phone, {
    messages: [
      {
        from: '16505551234',
        id: messageId,
        timestamp: '1750030073',
        type: 'text',
        text: { body: 'Hi' },
      },
    ],
  })
}

/**
 * Meta's body for one status of a message this phone sent (`at` in Unix seconds): a failed
 * status carries Meta's 131026, the others a pricing object, as Meta's do.
 */
export function messageStatusWebhook(
  phone: MetaIds,
  wamid: string,
  status: string,
  at: number,
): string {
  return messagesWebhook(phone, {
    statuses: [
      {
        id: wamid,
        status,
        timestamp: String(at),
        recipient_id: '16505551234',
        ...(status === 'failed'
          ? { errors: [{ code: 131026, title: 'Message undeliverable' }] }
          : { pricing: { billable: true, category: 'service' } }),
      },
    ],
  })
}

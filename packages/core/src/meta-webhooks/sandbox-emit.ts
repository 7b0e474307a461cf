import { accountsStore } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { AppError } from '../errors'

/**
 * The sandbox signs what it emits with this deployment's own app secret, so our receiver
 * believes it: only a test key may have it emit, since its webhooks are test mode's.
 */
export function assertMayUseSandboxEmitter(tenant: Tenant): void {
  if (tenant.mode !== 'test') {
    throw new AppError(
      'test_key_required',
      403,
      'The Meta sandbox emits test-mode webhooks only: call it with a test key (sk_org_test_…).',
    )
  }
}

/**
 * A sandbox webhook about a WABA or number connected to another organisation would act on
 * that organisation's account (disconnect it, relay forged messages to it): such an account
 * is unknown to the caller, a 404 as everywhere else. Its own accounts, and accounts nobody
 * holds yet (a sign-up's PARTNER_APP_INSTALLED), are fine.
 */
export async function assertMayEmitAbout(
  ctx: CoreContext,
  tenant: Tenant,
  about: { metaWabaId: string; metaPhoneNumberId: string | null },
): Promise<void> {
  assertMayUseSandboxEmitter(tenant)
  if (await accountsStore.heldByAnotherOrganization(ctx.db, tenant, about)) {
    throw new AppError(
      'not_found',
      404,
      'No WhatsApp Business Account or phone number with that id exists in this organisation and mode.',
    )
  }
}

import type { CoreContext, Tenant } from '../context'
import { AppError, isAppError } from '../errors'
import type { MetaApps } from '../meta-apps'
import { isWabaConnectedAnywhere } from '../signup-completion/complete'
import { signupErrors } from '../signup-completion/errors'
import { gatherSignupFacts } from '../signup-completion/graph-steps'
import { persistConnection } from '../signup-completion/persist'
import type { CompletionSubject } from '../signup-completion/subject'
import { getBusinessProfileOfWaba } from './read'
import type { BusinessProfile, BusinessProfileCallbackInput } from './schemas'

/** The popup flow completes no link or session of ours: there is nothing to mark. */
function profileSubject(tenant: Tenant): CompletionSubject {
  return {
    id: null,
    tenant,
    metadata: null,
    externalId: null,
    onboardingLinkId: null,
    preVerifiedPhoneIds: [],
    eventFields: {},
    markCompleted: async () => 'marked',
    alreadyCompleted: signupErrors.wabaAlreadyConnected,
    notFound: signupErrors.wabaAlreadyConnected,
  }
}

/** The callback's errors in the documents' words: an unusable code and Meta's failures. */
function asDocumentedError(error: unknown): unknown {
  if (!isAppError(error)) return error
  if (error.code === 'code_expired') {
    return new AppError(
      'code_expired',
      400,
      'The authorization code from Meta has expired or was already used: codes live 30 seconds and work once. Run FB.login again and post the new code straight away.',
    )
  }
  if (error.code === 'rate_limited') return new AppError('meta_api_error', 503, error.message)
  return error
}

/**
 * POST /v1/organization/whatsapp/business-profiles/callback: the customer ran FB.login on its
 * own page and posts the code. The same completion core as links and sessions, without one.
 */
export async function completeBusinessProfile(
  ctx: CoreContext,
  metaApps: MetaApps,
  tenant: Tenant,
  input: BusinessProfileCallbackInput,
): Promise<{ profile: BusinessProfile; deliveryIds: string[] }> {
  const app = metaApps.forMode(tenant.mode)
  if (!app) throw signupErrors.metaNotConfigured()
  const subject = profileSubject(tenant)
  try {
    const facts = await gatherSignupFacts(
      app,
      {
        code: input.code,
        redirectUri: input.redirectUri,
        wabaId: input.wabaId,
        phoneNumberId: input.phoneNumberId,
        businessId: input.businessId,
        isCoexistence: input.isCoexistence === true,
      },
      subject,
      (metaWabaId) => isWabaConnectedAnywhere(ctx, tenant.mode, metaWabaId),
    )
    const connection = await persistConnection(ctx, subject, facts, null)
    return {
      profile: await getBusinessProfileOfWaba(ctx, tenant, connection.wabaId),
      deliveryIds: connection.deliveryIds,
    }
  } catch (error) {
    throw asDocumentedError(error)
  }
}

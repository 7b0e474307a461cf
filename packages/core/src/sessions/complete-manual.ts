import { isMetaError } from '@onboard/meta'
import type { CoreContext, Tenant } from '../context'
import { isWabaConnected } from '../onboarding/complete'
import { describeMetaFailure, fromMetaError, signupErrors } from '../onboarding/errors'
import { choosePhone, type SignupFacts } from '../onboarding/graph-steps'
import type { MetaApp, MetaApps } from '../onboarding/meta-clients'
import { persistConnection } from '../onboarding/persist'
import { sessionErrors } from './errors'
import { findSessionRow, getSession } from './read'
import type { CompleteSessionInput, Session } from './schemas'
import { effectiveSessionStatus } from './status'
import { sessionSubject } from './subject'

/** Why the number is not registered: stored on the phone, so its health says so. */
const NOT_REGISTERED =
  'Connected from the WABA id with the platform’s system-user token: the end-user’s business token never reached us, so the number was not registered for the Cloud API. Ask the end-user to connect again, or register it yourself.'

async function readWaba<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (isMetaError(error) && error.code === 'permission_denied')
      throw sessionErrors.wabaNotReadable()
    if (isMetaError(error) && error.graph?.code === 100) throw sessionErrors.wabaNotReadable()
    throw fromMetaError(error, what)
  }
}

/** The Graph half with the system-user token instead of a code: read, subscribe, no register. */
async function gatherFromWabaId(
  app: MetaApp,
  token: string,
  metaWabaId: string,
): Promise<SignupFacts> {
  const [waba, phones] = await Promise.all([
    readWaba('read the WhatsApp Business Account', () => app.client.getWaba(metaWabaId, token)),
    readWaba('list the phone numbers', () => app.client.listPhoneNumbers(metaWabaId, token)),
  ])
  const chosen = choosePhone(phones, undefined, [])
  let subscriptionError: string | null = null
  try {
    await app.client.subscribeApp(metaWabaId, token)
  } catch (error) {
    subscriptionError = describeMetaFailure(error)
  }
  return {
    // The WABA's later Graph reads (health, connection) use the token that can read it.
    token: { accessToken: token, expiresAt: null },
    waba,
    businessId: waba.ownerBusiness?.id ?? null,
    phones,
    chosen,
    isCoexistence: false,
    subscriptionError,
    registration: { pin: null, error: NOT_REGISTERED },
  }
}

/**
 * POST …/sessions/:id/complete `{wabaId}`: the end-user finished Embedded Signup on Meta's
 * side but the redirect never came back (Meta's PARTNER_APP_INSTALLED says so). Reads the
 * WABA with the system-user token and completes through the same persist path.
 */
export async function completeSessionFromWaba(
  ctx: CoreContext,
  metaApps: MetaApps,
  tenant: Tenant,
  id: string,
  input: CompleteSessionInput,
): Promise<{ session: Session; deliveryIds: string[] }> {
  const session = await findSessionRow(ctx, tenant, id)
  const status = effectiveSessionStatus(session, ctx.now())
  if (status === 'completed') throw sessionErrors.alreadyCompleted()
  if (status === 'cancelled') throw sessionErrors.cancelled()
  const app = metaApps.forMode(tenant.mode)
  if (!app) throw signupErrors.metaNotConfigured()
  if (!app.systemUserToken) throw sessionErrors.systemUserTokenMissing()
  if (await isWabaConnected(ctx, tenant, input.wabaId)) throw signupErrors.wabaAlreadyConnected()

  const facts = await gatherFromWabaId(app, app.systemUserToken, input.wabaId)
  // Expired and failed sessions can be recovered too: that is what this endpoint is for.
  const subject = sessionSubject(session, { via: 'manual', from: ['pending', 'failed'] })
  const connection = await persistConnection(ctx, subject, facts, null)
  return { session: await getSession(ctx, tenant, id), deliveryIds: connection.deliveryIds }
}

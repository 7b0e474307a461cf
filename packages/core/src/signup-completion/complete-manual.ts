import { linksStore, metaReceiptsStore, type SignupSessionRow, sessionsStore } from '@onboard/db'
import { isMetaError } from '@onboard/meta'
import type { CoreContext, Tenant } from '../context'
import type { MetaApp, MetaApps } from '../meta-apps'
import { claimInstall } from '../meta-webhooks/installs'
import { sessionErrors } from '../sessions/errors'
import { findSessionRow, getSession } from '../sessions/read'
import type { CompleteSessionInput, Session } from '../sessions/schemas'
import { effectiveSessionStatus } from '../sessions/status'
import { sessionSubject } from '../sessions/subject'
import { isWabaConnectedAnywhere } from './complete'
import { fromMetaError, signupErrors } from './errors'
import { connectWabaOnGraph, type SignupFacts } from './graph-steps'
import { persistConnection } from './persist'
import type { CompletionSubject } from './subject'

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

/** What ties the WABA to this session's own signup; WABA ids alone are not secrets. */
interface Evidence {
  kind: 'finish' | 'install'
  /** The number the FINISH named, to connect that one. */
  metaPhoneNumberId: string | null
  /** Meta's PARTNER_APP_INSTALLED for the WABA is on record: this completion claims it. */
  claimsInstall: boolean
}

/**
 * Either the hosted page of this session received the WABA in Meta's FINISH message, or Meta
 * sent a PARTNER_APP_INSTALLED for it during the session's life (created to expiry) that no
 * other session or link has used. Anything else could be another organisation's account.
 *
 * A FINISH is what a browser reported, so Meta's own record outranks it: a WABA whose install
 * falls outside this session's life, that another sign-up claimed, or that Meta says was
 * uninstalled since, is refused even when a FINISH names it. An install alone is weaker than
 * another sign-up's FINISH for the same WABA: that sign-up's page saw Meta finish it.
 */
async function evidenceFor(
  ctx: CoreContext,
  session: SignupSessionRow,
  metaWabaId: string,
): Promise<Evidence> {
  const install = await metaReceiptsStore.findInstall(ctx.db, session.mode, metaWabaId)
  const installedAt = install?.status === 'installed' ? install.installed_at : null
  if (installedAt !== null) {
    // Meta's event times are whole seconds: an install in the session's own second counts.
    const createdSecond = `${session.created_at.slice(0, 19)}.000Z`
    if (installedAt < createdSecond) throw sessionErrors.installBeforeSession()
    if (installedAt > session.expires_at) throw sessionErrors.installAfterSession()
    if (install?.claimed_by != null && install.claimed_by !== session.id) {
      throw sessionErrors.installAlreadyClaimed()
    }
  }
  if (session.finish_meta_waba_id === metaWabaId) {
    if (install?.status === 'removed') throw sessionErrors.wabaUninstalled()
    return {
      kind: 'finish',
      metaPhoneNumberId: session.finish_meta_phone_number_id,
      claimsInstall: installedAt !== null,
    }
  }
  if (installedAt === null) throw sessionErrors.wabaNotFromThisSignup()
  if (await finishedInAnotherSignup(ctx, session, metaWabaId)) {
    throw sessionErrors.finishedInAnotherSignup()
  }
  return { kind: 'install', metaPhoneNumberId: null, claimsInstall: true }
}

/** Whether another session or link of this mode, not completed, recorded a FINISH for the WABA. */
async function finishedInAnotherSignup(
  ctx: CoreContext,
  session: SignupSessionRow,
  metaWabaId: string,
): Promise<boolean> {
  const [otherSession, link] = await Promise.all([
    sessionsStore.otherOpenSessionWithFinishWaba(ctx.db, {
      mode: session.mode,
      metaWabaId,
      exceptId: session.id,
    }),
    linksStore.unfinishedLinkWithFinishWaba(ctx.db, session.mode, metaWabaId),
  ])
  return otherSession || link
}

/** The WABA side with the system-user token instead of a code: the same steps as the page. */
async function gatherFromWabaId(
  app: MetaApp,
  token: string,
  metaWabaId: string,
  claimedPhoneId: string | null,
): Promise<SignupFacts> {
  const connected = await connectWabaOnGraph(
    app,
    {
      accessToken: token,
      metaWabaId,
      claimedPhoneId: claimedPhoneId ?? undefined,
      preVerifiedPhoneIds: [],
      isCoexistence: false,
    },
    readWaba,
  )
  return {
    ...connected,
    // The WABA's later Graph reads (health, connection) use the token that can read it.
    token: { accessToken: token, expiresAt: null },
    businessId: connected.waba.ownerBusiness?.id ?? null,
  }
}

/**
 * POST …/sessions/:id/complete `{wabaId}`: the end-user finished Embedded Signup on Meta's
 * side but the redirect never came back. Accepts only a WABA this session's signup produced
 * (see evidenceFor), reads it with the system-user token, subscribes our app and registers
 * the number like the page does, and completes through the same persist path.
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
  const evidence = await evidenceFor(ctx, session, input.wabaId)
  if (await isWabaConnectedAnywhere(ctx, tenant.mode, input.wabaId)) {
    throw signupErrors.wabaAlreadyConnected()
  }

  const facts = await gatherFromWabaId(
    app,
    app.systemUserToken,
    input.wabaId,
    evidence.metaPhoneNumberId,
  )
  // Expired and failed sessions can be recovered too: that is what this endpoint is for.
  const base = sessionSubject(session, { via: 'manual', from: ['pending', 'failed'] })
  const subject: CompletionSubject = !evidence.claimsInstall
    ? base
    : {
        ...base,
        // In the completion's transaction, so two sessions racing for one install cannot both win.
        beforeEvent: async (trx, ids) => {
          const claim = { mode: tenant.mode, metaWabaId: input.wabaId, claimant: session.id }
          if (!(await claimInstall(trx, { ...claim, now: ids.now }))) {
            throw sessionErrors.installAlreadyClaimed()
          }
        },
      }
  const connection = await persistConnection(ctx, subject, facts, null)
  return { session: await getSession(ctx, tenant, id), deliveryIds: connection.deliveryIds }
}

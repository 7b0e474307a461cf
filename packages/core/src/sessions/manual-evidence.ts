import { linksStore, metaReceiptsStore, type SignupSessionRow, sessionsStore } from '@onboard/db'
import type { CoreContext } from '../context'
import { sessionErrors } from './errors'

/** What ties the WABA to this session's own signup; WABA ids alone are not secrets. */
export interface Evidence {
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
export async function evidenceFor(
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

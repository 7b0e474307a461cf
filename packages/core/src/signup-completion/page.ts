import type { LinkLocale, Mode } from '@onboard/db'
import { findHostedBranding, type HostedBranding } from '../branding/index'
import type { CoreContext } from '../context'
import type { MetaApp, MetaApps } from '../meta-apps'
import { issueSignupNonce } from '../signup-nonce'
import type { HostedSignupTarget } from '../signup-target'
import { findHostedTarget } from './complete'

/** What FB.login receives, built from the link or session; see research §1. */
interface EmbeddedSignupLogin {
  appId: string
  configId: string
  graphVersion: string
  extras: {
    setup: Record<string, unknown>
    featureType: string
    sessionInfoVersion: '3'
  }
}

interface PageBase {
  kind: HostedSignupTarget['kind']
  name: string
  mode: Mode
  locale: LinkLocale | null
  /** The organisation's branding for this mode; null when it has none. */
  branding: HostedBranding | null
}

export type SignupPage =
  | { state: 'not_found' }
  | (PageBase & {
      state: 'expired' | 'completed' | 'cancelled' | 'failed' | 'not_configured'
      /** Where the page offers to go back (a session's redirect_uri with its result). */
      exitUrl: string | null
    })
  | (PageBase & {
      state: 'pending'
      id: string
      nonce: string
      login: EmbeddedSignupLogin
      /** Sessions send the end-user back on a cancel; links offer another try. */
      returnOnCancel: boolean
      /**
       * What the page reports its result with when embed.js opened it: the link's allowed
       * origins and ids. Null when the link lists no origins (the page then redirects).
       */
      embed: { origins: string[]; externalId: string | null } | null
    })

function loginOptions(app: MetaApp, target: HostedSignupTarget): EmbeddedSignupLogin {
  const { login, preVerifiedPhoneIds: preVerified } = target
  return {
    appId: app.appId,
    configId: app.configId,
    graphVersion: app.graphVersion,
    extras: {
      setup: {
        ...login.prefill,
        ...(app.solutionId ? { solutionID: app.solutionId } : {}),
        ...(preVerified.length > 0 ? { preVerifiedPhone: { ids: preVerified } } : {}),
      },
      featureType: login.allowCoexistence ? 'whatsapp_business_app_onboarding' : '',
      sessionInfoVersion: '3',
    },
  }
}

/**
 * Everything the hosted page shows for a link or a session. Reading only: email scanners
 * and link previews open these URLs, so a GET must never consume or change anything.
 */
export async function loadSignupPage(
  ctx: CoreContext,
  metaApps: MetaApps,
  id: string,
): Promise<SignupPage> {
  const target = await findHostedTarget(ctx, id)
  if (!target) return { state: 'not_found' }
  const base = {
    kind: target.kind,
    name: target.name,
    mode: target.mode,
    locale: target.locale,
    branding: await findHostedBranding(ctx, target.tenant),
  }
  if (target.status !== 'pending') {
    return { state: target.status, ...base, exitUrl: target.exitRedirect() }
  }
  const app = metaApps.forMode(target.mode)
  if (!app) return { state: 'not_configured', ...base, exitUrl: null }
  return {
    state: 'pending',
    id: target.id,
    ...base,
    nonce: issueSignupNonce(ctx.keyring.signupNonceKey, target.id, ctx.now()),
    login: loginOptions(app, target),
    returnOnCancel: target.returnsOnCancel,
    embed:
      target.embedOrigins.length > 0
        ? { origins: target.embedOrigins, externalId: target.externalId }
        : null,
  }
}

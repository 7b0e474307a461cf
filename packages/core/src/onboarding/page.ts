import type { Mode } from '@onboard/db'
import type { CoreContext } from '../context'
import { effectiveStatus } from '../onboarding-links/serialize'
import { parseJson } from '../shared/json'
import type { Prefill } from '../shared/prefill'
import { findLinkForPage } from './complete'
import type { MetaApp, MetaApps } from './meta-clients'
import { issueSignupNonce } from './nonce'

/** What FB.login receives, built from the link; see research §1. */
export interface EmbeddedSignupLogin {
  appId: string
  configId: string
  graphVersion: string
  extras: {
    setup: Record<string, unknown>
    featureType: string
    sessionInfoVersion: '3'
  }
}

export type SignupPage =
  | { state: 'not_found' }
  | { state: 'expired' | 'completed' | 'not_configured'; name: string; mode: Mode }
  | {
      state: 'pending'
      id: string
      name: string
      mode: Mode
      nonce: string
      login: EmbeddedSignupLogin
    }

function loginOptions(
  app: MetaApp,
  link: {
    prefill: string | null
    pre_verified_phone_ids: string | null
    allow_coexistence: number
  },
): EmbeddedSignupLogin {
  const prefill = parseJson<Prefill>(link.prefill) ?? {}
  const preVerified = parseJson<string[]>(link.pre_verified_phone_ids)
  return {
    appId: app.appId,
    configId: app.configId,
    graphVersion: app.graphVersion,
    extras: {
      setup: {
        ...prefill,
        ...(app.solutionId ? { solutionID: app.solutionId } : {}),
        ...(preVerified ? { preVerifiedPhone: { ids: preVerified } } : {}),
      },
      featureType: link.allow_coexistence === 1 ? 'whatsapp_business_app_onboarding' : '',
      sessionInfoVersion: '3',
    },
  }
}

/**
 * Everything the hosted page shows for a link. Reading only: email scanners and link
 * previews open these URLs, so a GET must never consume or change the link.
 */
export async function loadSignupPage(
  ctx: CoreContext,
  metaApps: MetaApps,
  id: string,
): Promise<SignupPage> {
  const link = await findLinkForPage(ctx, id)
  if (!link) return { state: 'not_found' }
  const now = ctx.now()
  const status = effectiveStatus(link, now)
  const base = { name: link.name, mode: link.mode }
  if (status !== 'pending') return { state: status, ...base }
  const app = metaApps.forMode(link.mode)
  if (!app) return { state: 'not_configured', ...base }
  return {
    state: 'pending',
    id: link.id,
    ...base,
    nonce: issueSignupNonce(ctx.encryptionKey, link.id, now),
    login: loginOptions(app, link),
  }
}

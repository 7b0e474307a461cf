import { signupCompletion } from '@onboard/core'
import type { Mode } from '@onboard/db'
import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'
import { brandView } from './brand'
import { pageHeaders } from './headers'

const FACEBOOK_SDK = 'https://connect.facebook.net/en_US/sdk.js'
const SANDBOX_SDK = '/__sandbox/sdk.js'

/** JSON inside <script type="application/json">: nothing in it may close or open a tag. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

interface MessageView {
  status: 404 | 410 | 200 | 503
  state: string
  title: string
  heading: string
  message: string
  hint?: string
  tone: 'neutral' | 'error' | 'success'
}

type MessageState = 'not_found' | 'expired' | 'completed' | 'not_configured' | 'ended'

const MESSAGES: Record<MessageState, MessageView> = {
  not_found: {
    status: 404,
    state: 'not-found',
    title: 'Link not found',
    heading: 'This link does not work',
    message: 'We could not find this signup link. It may have been deleted or mistyped.',
    hint: 'Ask whoever sent it to you for a new link.',
    tone: 'neutral',
  },
  expired: {
    status: 410,
    state: 'expired',
    title: 'Link expired',
    heading: 'This link has expired',
    message: 'For your security, signup links only work for a limited time.',
    hint: 'Ask whoever sent it to you for a new link.',
    tone: 'neutral',
  },
  completed: {
    status: 200,
    state: 'completed',
    title: 'Already connected',
    heading: 'This number is already connected',
    message:
      'This link has already been used to connect a WhatsApp number. There is nothing more to do.',
    tone: 'success',
  },
  not_configured: {
    status: 503,
    state: 'not-configured',
    title: 'Not available yet',
    heading: 'WhatsApp signup is not available yet',
    message: 'This service is not configured to connect WhatsApp numbers through Meta yet.',
    hint: 'Please let whoever sent you this link know; they need to finish setting up their Meta app.',
    tone: 'error',
  },
  ended: {
    status: 410,
    state: 'ended',
    title: 'Signup ended',
    heading: 'This signup has ended',
    message: 'This signup link was cancelled or did not finish, so it cannot be used again.',
    hint: 'Go back to the app and start again.',
    tone: 'neutral',
  },
}

/** Sessions are short and one-time: their pages say so and offer the way back. */
const SESSION_MESSAGES: Partial<Record<MessageState, Partial<MessageView>>> = {
  expired: {
    message: 'For your security, signup sessions only work for 15 minutes.',
    hint: 'Go back to the app and start again.',
  },
  completed: {
    title: 'Already used',
    heading: 'This link has already been used',
    message:
      'It was used to connect a WhatsApp number, and each signup link works once. There is nothing more to do.',
  },
}

function messageView(
  page: Exclude<signupCompletion.SignupPage, { state: 'pending' }>,
): MessageView {
  const state: MessageState =
    page.state === 'cancelled' || page.state === 'failed' ? 'ended' : page.state
  const view = MESSAGES[state]
  if (page.state === 'not_found' || page.kind !== 'session') return view
  return { ...view, ...SESSION_MESSAGES[state] }
}

export function registerSignupPage(router: Router, deps: AppDeps) {
  router.get('/signup/:id', async (c) => {
    const page = await signupCompletion.loadSignupPage(deps.core, deps.metaApps, c.req.param('id'))
    const mode: Mode | null = page.state === 'not_found' ? null : page.mode
    const { brand, styleHash } = brandView(page.state === 'not_found' ? null : page.branding)
    for (const [name, value] of pageHeaders(mode, styleHash)) c.header(name, value)
    if (page.state !== 'pending') {
      const view = messageView(page)
      const name = page.state === 'not_found' ? null : page.name
      const returnUrl = page.state === 'not_found' ? null : page.exitUrl
      return c.html(
        deps.views.render('./signup/message', { ...view, name, mode, returnUrl, brand }),
        view.status,
      )
    }
    const config = {
      linkId: page.id,
      mode: page.mode,
      nonce: page.nonce,
      callbackUrl: `/signup/${page.id}/callback`,
      // Links report their steps for the console's timeline; sessions have no timeline.
      activityUrl: page.kind === 'link' ? `/signup/${page.id}/activity` : null,
      sdkUrl: page.mode === 'live' ? FACEBOOK_SDK : SANDBOX_SDK,
      appId: page.login.appId,
      configId: page.login.configId,
      graphVersion: page.login.graphVersion,
      extras: page.login.extras,
      returnOnCancel: page.returnOnCancel,
    }
    return c.html(
      deps.views.render('./signup/pending', {
        name: page.name,
        mode: page.mode,
        brand,
        configJson: scriptJson(config),
      }),
      200,
    )
  })
}

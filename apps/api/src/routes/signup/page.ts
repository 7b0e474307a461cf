import { signupCompletion } from '@onboard/core'
import type { Mode } from '@onboard/db'
import {
  type Catalogue,
  catalogues,
  fillIn,
  LOCALES,
  type Locale,
  META_SDK_LOCALES,
  splitAt,
} from '@onboard/views'
import type { AppDeps } from '../../lib/env'
import { choosePageLanguage } from '../../lib/page-language'
import type { Router } from '../../lib/router'
import { brandView } from './brand'
import { pageHeaders } from './headers'

/** JSON inside <script type="application/json">: nothing in it may close or open a tag. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/**
 * signup.js's words and the errors' in each language, as the page's inline JSON. They are the
 * same for every render, so they are serialised once, not with each page's config: that was
 * about 10 µs of a ~190 µs page under load (docs/performance.md).
 */
const SCRIPT_TEXT_JSON = Object.fromEntries(
  LOCALES.map((locale) => {
    const t = catalogues[locale]
    return [locale, scriptJson({ ...t.script, errors: t.errors })]
  }),
) as Record<Locale, string>

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

interface MessageTexts {
  title: string
  heading: string
  text: string
  hint?: string
}

/** Each page's status and look; its words are the catalogue's `message` section. */
const MESSAGES: Record<
  MessageState,
  Pick<MessageView, 'status' | 'state' | 'tone'> & { texts: (t: Catalogue) => MessageTexts }
> = {
  not_found: { status: 404, state: 'not-found', tone: 'neutral', texts: (t) => t.message.notFound },
  expired: { status: 410, state: 'expired', tone: 'neutral', texts: (t) => t.message.expired },
  completed: {
    status: 200,
    state: 'completed',
    tone: 'success',
    texts: (t) => t.message.completed,
  },
  not_configured: {
    status: 503,
    state: 'not-configured',
    tone: 'error',
    texts: (t) => t.message.notConfigured,
  },
  ended: { status: 410, state: 'ended', tone: 'neutral', texts: (t) => t.message.ended },
}

/** Sessions are short and one-time: their pages say so and offer the way back. */
const SESSION_MESSAGES: Partial<Record<MessageState, (t: Catalogue) => Partial<MessageTexts>>> = {
  expired: (t) => t.message.sessionExpired,
  completed: (t) => t.message.sessionCompleted,
}

function messageView(
  page: Exclude<signupCompletion.SignupPage, { state: 'pending' }>,
  t: Catalogue,
): MessageView {
  const state: MessageState =
    page.state === 'cancelled' || page.state === 'failed' ? 'ended' : page.state
  const { texts, ...frame } = MESSAGES[state]
  const forSession = page.state !== 'not_found' && page.kind === 'session'
  const words = { ...texts(t), ...(forSession ? SESSION_MESSAGES[state]?.(t) : {}) }
  return {
    ...frame,
    title: words.title,
    heading: words.heading,
    message: words.text,
    hint: words.hint,
  }
}

/** Meta's SDK in the page's language: Meta localizes its window by the SDK's locale. */
function sdkUrlOf(mode: Mode, locale: Locale): string {
  const metaLocale = META_SDK_LOCALES[locale]
  return mode === 'live'
    ? `https://connect.facebook.net/${metaLocale}/sdk.js`
    : `/__sandbox/${metaLocale}/sdk.js`
}

export function registerSignupPage(router: Router, deps: AppDeps) {
  router.get('/signup/:id', async (c) => {
    const page = await signupCompletion.loadSignupPage(deps.core, deps.metaApps, c.req.param('id'))
    const mode: Mode | null = page.state === 'not_found' ? null : page.mode
    // embed.js adds ?embed=1; only a pending link with allowed origins reports to its opener.
    const embed =
      page.state === 'pending' && c.req.query('embed') === '1' && page.embed
        ? {
            origins: page.embed.origins,
            onboardingLinkId: page.id,
            externalId: page.embed.externalId,
          }
        : null
    const { brand, styleHash } = brandView(page.state === 'not_found' ? null : page.branding)
    for (const [name, value] of pageHeaders(mode, { styleHash, embedded: embed !== null })) {
      c.header(name, value)
    }
    const language = choosePageLanguage({
      targetLocale: page.state === 'not_found' ? null : page.locale,
      lang: c.req.query('lang'),
      acceptLanguage: c.req.header('accept-language'),
    })
    // The page is never stored (no-store), but a cache or proxy that keys on the URL alone
    // must still be told that the language came from the request's header.
    if (language.byHeader) c.header('Vary', 'Accept-Language')
    const lang = language.locale
    const t = catalogues[lang]
    const words = { lang, t, fillIn, splitAt }
    if (page.state !== 'pending') {
      const view = messageView(page, t)
      const name = page.state === 'not_found' ? null : page.name
      const returnUrl = page.state === 'not_found' ? null : page.exitUrl
      return c.html(
        deps.views.render('./signup/message', { ...view, ...words, name, mode, returnUrl, brand }),
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
      sdkUrl: sdkUrlOf(page.mode, lang),
      appId: page.login.appId,
      configId: page.login.configId,
      graphVersion: page.login.graphVersion,
      extras: page.login.extras,
      returnOnCancel: page.returnOnCancel,
      embed,
    }
    return c.html(
      deps.views.render('./signup/pending', {
        ...words,
        name: page.name,
        mode: page.mode,
        brand,
        configJson: scriptJson(config),
        // signup.js says nothing of its own: its words and the errors' come in the page's language.
        textJson: SCRIPT_TEXT_JSON[lang],
      }),
      200,
    )
  })
}

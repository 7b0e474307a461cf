import { consoleAuth, isAppError, randomBase62 } from '@onboard/core'
import type { Context } from 'hono'
import { renderConsolePage, safeConsolePath } from '../../lib/console-page'
import type { AppEnv } from '../../lib/env'
import type { Router } from '../../lib/router'
import {
  type ConsoleCookies,
  clientIp,
  csrfMatches,
  SIGN_IN_PATH,
  sessionToken,
  setSessionCookie,
  setSignInCookie,
  signInToken,
} from '../../middleware/console-gate'
import type { ConsoleDeps } from './deps'

function renderForm(
  c: Context<AppEnv>,
  deps: ConsoleDeps,
  form: { email: string; next: string; error?: string },
  status: 200 | 401 | 429 | 503 = 200,
) {
  // A fresh token for every form shown: the double-submit cookie carries the same value.
  const csrfToken = randomBase62(24)
  setSignInCookie(c, deps.cookies, csrfToken)
  return renderConsolePage(c, deps, 'sign-in', {
    title: 'Sign in',
    section: null,
    status,
    csrfToken,
    email: form.email,
    next: form.next,
    error: form.error ?? null,
  })
}

/** GET shows the form; POST checks it (CSRF, limit, password) and opens a new session. */
export function registerSignIn(router: Router, deps: ConsoleDeps, cookies: ConsoleCookies) {
  router.get(SIGN_IN_PATH, (c) =>
    renderForm(c, deps, { email: '', next: safeConsolePath(c.req.query('next')) }),
  )

  router.post(SIGN_IN_PATH, async (c) => {
    const form = c.var.form
    if (!csrfMatches(form.get('_csrf'), signInToken(c, cookies))) return deps.forbidden(c)
    const email = form.get('email') ?? ''
    const next = safeConsolePath(form.get('next'))
    try {
      const { token } = await consoleAuth.signIn(deps.core, {
        email,
        password: form.get('password') ?? '',
        clientIp: clientIp(c, deps.config),
      })
      // Whatever session this browser had ends here; the new one has a new id.
      const previous = sessionToken(c, cookies)
      if (previous) {
        const old = await consoleAuth.findConsoleSession(deps.core, previous)
        if (old) await consoleAuth.signOut(deps.core, old)
      }
      setSessionCookie(c, cookies, token)
      return c.redirect(next, 303)
    } catch (error) {
      if (!isAppError(error) || ![401, 429, 503].includes(error.status)) throw error
      if (error.retryAfterSeconds) c.header('Retry-After', String(error.retryAfterSeconds))
      return renderForm(
        c,
        deps,
        { email, next, error: error.message },
        error.status as 401 | 429 | 503,
      )
    }
  })
}

import { isAppError, sessions } from '@onboard/core'
import { renderConsolePage } from '../../lib/console-page'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'

/** One session: its fields, its connected WABA and phones, and what happened when. */
export function registerSessionPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/sessions/:id', async (c) => {
    const signedIn = c.var.console
    let found: sessions.Session
    try {
      found = await sessions.getSession(
        deps.core,
        { organizationId: signedIn.organizationId, mode: signedIn.mode },
        c.req.param('id'),
      )
    } catch (error) {
      if (isAppError(error) && error.status === 404) return deps.notFound(c)
      throw error
    }
    const timeline = [
      { kind: 'created', at: found.created_at, text: 'Session created.' },
      ...(found.completed_at
        ? [
            {
              kind: 'completed',
              at: found.completed_at,
              text:
                found.completed_via === 'manual'
                  ? 'Completed by POST …/complete (manual).'
                  : 'Completed: the end-user came back through the redirect.',
            },
          ]
        : []),
      ...(found.error
        ? [
            {
              kind: found.status,
              at: found.completed_at ?? found.expires_at,
              text: `${found.status === 'cancelled' ? 'Cancelled' : 'Failed'} (${found.error.code}): ${found.error.message}`,
            },
          ]
        : []),
      ...(found.meta_install
        ? [
            {
              kind: 'meta_install',
              at: found.meta_install.event_time,
              text: `Meta said ${found.meta_install.last_event} (${found.meta_install.status}).`,
            },
          ]
        : []),
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    return renderConsolePage(c, deps, 'session', {
      title: `Session ${found.id}`,
      section: 'sessions',
      session: found,
      timeline,
      json: (value: unknown) =>
        value === null || value === undefined ? '—' : JSON.stringify(value),
    })
  })
}

import { isAppError, links } from '@onboard/core'
import type { Context } from 'hono'
import { renderConsolePage } from '../../lib/console-page'
import type { AppEnv } from '../../lib/env'
import { qrSvg } from '../../lib/qr'
import type { Router } from '../../lib/router'
import type { ConsoleDeps } from './deps'

/**
 * A link's page: its fields, its connected phone, its hosted URL with a copy button and a QR
 * code while it can still be used, and its timeline. Another organisation's or mode's link is
 * the console's 404, as in the API.
 */
export async function renderLinkPage(
  c: Context<AppEnv>,
  deps: ConsoleDeps,
  id: string,
  extra: { created?: boolean; webhookSecret?: string; renewed?: boolean; refusal?: string } = {},
  status: 200 | 409 = 200,
): Promise<Response> {
  const session = c.var.console
  const tenant = { organizationId: session.organizationId, mode: session.mode }
  let found: Awaited<ReturnType<typeof links.getLinkTimeline>>
  try {
    found = await links.getLinkTimeline(deps.core, tenant, id)
  } catch (error) {
    if (isAppError(error) && error.status === 404) return deps.notFound(c)
    throw error
  }
  const { link, timeline } = found
  const usable = link.status === 'pending'
  return renderConsolePage(c, deps, 'link', {
    title: link.name,
    section: 'links',
    status,
    link,
    timeline,
    created: extra.created === true,
    renewed: extra.renewed === true,
    refusal: extra.refusal ?? null,
    // Renewing gives a pending or expired link a new expiry; a completed one is done.
    renewable: link.status !== 'completed',
    webhookSecret: extra.webhookSecret ?? null,
    qr: usable ? await qrSvg(link.hostedUrl, `QR code of the hosted URL for ${link.name}`) : null,
    usable,
    json: (value: unknown) => (value === null || value === undefined ? '—' : JSON.stringify(value)),
  })
}

export function registerLinkPage(router: Router, deps: ConsoleDeps) {
  router.get('/console/links/:id', (c) =>
    renderLinkPage(c, deps, c.req.param('id'), {
      created: c.req.query('created') === '1',
      renewed: c.req.query('done') === 'renewed',
    }),
  )
}

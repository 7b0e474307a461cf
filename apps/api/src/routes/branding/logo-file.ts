import { AppError, branding } from '@onboard/core'
import type { AppDeps } from '../../lib/env'
import type { Router } from '../../lib/router'

/**
 * A logo, by the SHA-256 of its bytes: public (the hosted pages show it to anyone with a
 * link), and the same bytes forever, so browsers and proxies keep it for a year. The type is
 * the one checked at upload, and `nosniff` keeps the browser to it.
 */
export function registerLogoFile(router: Router, deps: AppDeps) {
  router.get('/branding/logos/:file', async (c) => {
    const logo = await branding.findLogo(deps.core, c.req.param('file'))
    if (!logo) throw new AppError('not_found', 404, 'No such logo.')
    return c.body(new Uint8Array(logo.bytes), 200, {
      'Content-Type': logo.contentType,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      // Opened on its own, it is an image and nothing else.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    })
  })
}

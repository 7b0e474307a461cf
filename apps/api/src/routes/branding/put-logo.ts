import { createRoute } from '@hono/zod-openapi'
import { branding } from '@onboard/core'
import type { Context } from 'hono'
import { z } from 'zod'
import type { AppDeps, AppEnv } from '../../lib/env'
import { commonErrorResponses, errorResponse } from '../../lib/errors'
import { readBody } from '../../lib/read-body'
import type { Router } from '../../lib/router'
import { brandingResponse } from './get'

const LOGO_PATH = '/v1/organization/branding/logo'

/** The one /v1 request whose body is not JSON: it reads its own bytes (see app.ts). */
export const isLogoUpload = (c: Context<AppEnv>) =>
  c.req.method === 'PUT' && c.req.path === LOGO_PATH

const image = { schema: z.string().meta({ format: 'binary' }) }

const route = createRoute({
  method: 'put',
  path: LOGO_PATH,
  tags: ['Branding'],
  summary: 'Upload the logo (PNG, JPEG or WebP, at most 100 KB)',
  description:
    'The body is the image itself, with its Content-Type. It is served by this service at a URL holding its SHA-256, so the URL changes when the image does. SVG is refused (it can carry script).',
  security: [{ bearerAuth: [] }],
  request: {
    body: {
      required: true,
      content: { 'image/png': image, 'image/jpeg': image, 'image/webp': image },
    },
  },
  responses: {
    200: { description: 'The branding with its new `logoUrl`', ...brandingResponse },
    ...commonErrorResponses,
    400: errorResponse(
      'The body is empty (`logo_empty`) or not the image its Content-Type says (`logo_content_mismatch`)',
    ),
    413: errorResponse('The image is larger than 100 KB (`logo_too_large`)'),
    415: errorResponse('The Content-Type is not image/png, image/jpeg or image/webp'),
  },
})

export function registerPutBrandingLogo(router: Router, deps: AppDeps) {
  router.openapi(route, async (c) => {
    const bytes = await readBody(c, branding.MAX_LOGO_BYTES, branding.logoTooLarge)
    const updated = await branding.setBrandingLogo(
      deps.core,
      c.var.tenant,
      c.req.header('content-type'),
      bytes,
    )
    return c.json({ data: updated }, 200)
  })
}

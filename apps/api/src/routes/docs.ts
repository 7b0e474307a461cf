import type { AppDeps } from '../lib/env'
import type { Router } from '../lib/router'

const DOCS_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"

/** The OpenAPI document is built once from the same zod schemas that validate requests. */
export function registerDocsRoutes(router: Router, deps: AppDeps) {
  let document: ReturnType<Router['getOpenAPI31Document']> | undefined
  const openapi = () => {
    document ??= router.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'WhatsApp onboarding links API',
        version: '1.0.0',
        description:
          'Create onboarding links, let end-users connect WhatsApp Business numbers through Embedded Signup, and receive signed webhooks.',
      },
      servers: [{ url: deps.config.publicBaseUrl }],
    })
    return document
  }
  router.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An organisation API key: sk_org_test_… or sk_org_live_…',
  })
  router.get('/openapi.json', (c) => c.json(openapi()))
  router.get('/docs', (c) => {
    c.header('Content-Security-Policy', DOCS_CSP)
    return c.html(deps.views.render('docs', { spec: openapi() }))
  })
}

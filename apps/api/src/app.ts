import { AppError } from '@onboard/core'
import { renderConsoleNotFound } from './lib/console-page'
import type { AppDeps } from './lib/env'
import { errorEnvelope, handleError } from './lib/errors'
import { createApiMetrics, measureRequests } from './lib/metrics'
import { createRouter } from './lib/router'
import { createMountedSandbox } from './lib/sandbox'
import { requireApiKey } from './middleware/auth'
import { idempotency } from './middleware/idempotency'
import { requireJsonBody, requireJsonBodyUnless } from './middleware/json-body'
import { requestContext } from './middleware/request-context'
import { registerBrandingRoutes } from './routes/branding/index'
import { registerLogoFile } from './routes/branding/logo-file'
import { isLogoUpload } from './routes/branding/put-logo'
import { registerBusinessProfileRoutes } from './routes/business-profiles/index'
import { registerConsoleRoutes } from './routes/console/index'
import { registerDocsRoutes } from './routes/docs'
import { registerHealthRoutes } from './routes/health'
import { registerMessageRoutes } from './routes/messages/index'
import { registerMetaWebhookRoutes } from './routes/meta-webhooks/index'
import { registerOnboardingLinkRoutes } from './routes/onboarding-links/index'
import { registerOutgoingWebhookRoutes } from './routes/outgoing-webhooks/index'
import { registerPhoneRoutes } from './routes/phones/index'
import { registerSessionRoutes } from './routes/sessions/index'
import { registerSignupRoutes } from './routes/signup/index'
import { registerWabaRoutes } from './routes/wabas/index'

/** The whole HTTP surface. main.ts serves it; tests call it over a real socket. */
export function createApp(deps: AppDeps) {
  const app = createRouter()
  const metrics = deps.metrics ?? createApiMetrics()
  app.use('*', measureRequests(metrics))
  app.use('*', requestContext(deps.logger))
  app.onError(handleError)
  app.notFound((c) =>
    // A signed-in console user gets the console's own page; nobody else learns more.
    c.req.path.startsWith('/console') && c.get('console')
      ? renderConsoleNotFound(c, deps)
      : c.json(
          errorEnvelope(
            new AppError('not_found', 404, `No route for ${c.req.method} ${c.req.path}.`),
          ),
          404,
        ),
  )

  registerHealthRoutes(app, deps, metrics)
  registerMetaWebhookRoutes(app, deps)

  app.use(
    '/v1/*',
    requireApiKey(deps.core),
    // The logo upload reads its own raw bytes (100 KB); every other /v1 body is JSON.
    requireJsonBodyUnless(isLogoUpload),
    idempotency(deps.core),
  )
  registerOnboardingLinkRoutes(app, deps)
  registerOutgoingWebhookRoutes(app, deps)
  registerPhoneRoutes(app, deps)
  registerMessageRoutes(app, deps)
  registerWabaRoutes(app, deps)
  registerSessionRoutes(app, deps)
  registerBusinessProfileRoutes(app, deps)
  registerBrandingRoutes(app, deps)
  registerLogoFile(app, deps)

  app.use('/signup/*', requireJsonBody)
  registerSignupRoutes(app, deps)
  // Test mode's Meta: Graph, SDK and popup on our own origin, so the page's origin check is exact.
  const sandbox = deps.sandbox ?? createMountedSandbox(deps)
  // Mounted, not merged: its Graph routes are more than Hono's RegExpRouter can compile, and
  // merged they would send every request of the app through the slower TrieRouter.
  app.mount('/__sandbox', sandbox.app.fetch)

  registerConsoleRoutes(app, deps)
  registerDocsRoutes(app, deps)
  return app
}

export type App = ReturnType<typeof createApp>

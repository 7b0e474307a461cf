import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto'
import { serve } from '@hono/node-server'
import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { createDb, parseDatabaseUrl } from '@onboard/db'
import { catalogues, createViews, fillIn, splitAt } from '@onboard/views'
import { pino } from 'pino'
import { z } from 'zod'

/**
 * The reference the API is measured against: the least code that does the same work on the
 * same stack. A zod-openapi route, the API key looked up by its hash, one indexed read or one
 * insert, JSON out and one pino line per request; the page: the link's read and its
 * organisation's branding read, the same eta templates rendered with the same data and words
 * (the HTML is the work) and a CSP header with a nonce. No idempotency, no request ids, no error envelope, no counters:
 * what the service spends beyond this is what its features cost.
 */
const db = createDb(parseDatabaseUrl(process.env.DATABASE_URL ?? ''))
const logger = pino(pino.destination({ minLength: 4096, sync: false }))
const views = createViews()
const nonceKey = randomBytes(32)

const app = new OpenAPIHono<{ Variables: { organizationId: string; mode: 'test' | 'live' } }>()

app.use('*', async (c, next) => {
  await next()
  logger.info({ method: c.req.method, path: c.req.path, status: c.res.status }, 'request')
})

app.get('/healthz', (c) => c.json({ status: 'ok' }))

app.use('/v1/*', async (c, next) => {
  const key = c.req.header('authorization')?.slice('Bearer '.length) ?? ''
  const row = await db
    .selectFrom('api_keys')
    .select(['organization_id', 'mode'])
    .where('key_hash', '=', createHash('sha256').update(key).digest('hex'))
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row) return c.json({ error: 'unauthorized' }, 401)
  c.set('organizationId', row.organization_id)
  c.set('mode', row.mode)
  return next()
})

const linkShape = z.object({ id: z.string(), name: z.string(), status: z.string() })

app.openapi(
  createRoute({
    method: 'get',
    path: '/v1/onboarding-links/{id}',
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: {
      200: {
        description: 'a link',
        content: { 'application/json': { schema: z.object({ data: linkShape }) } },
      },
    },
  }),
  async (c) => {
    const row = await db
      .selectFrom('onboarding_links')
      .selectAll()
      .where('id', '=', c.req.valid('param').id)
      .where('organization_id', '=', c.var.organizationId)
      .where('mode', '=', c.var.mode)
      .executeTakeFirst()
    if (!row) return c.json({ error: 'not_found' }, 404) as never
    return c.json({ data: row }, 200)
  },
)

app.openapi(
  createRoute({
    method: 'post',
    path: '/v1/onboarding-links',
    request: {
      body: {
        content: {
          'application/json': {
            schema: z.object({
              name: z.string().min(1).max(255),
              externalId: z.string().max(255).optional(),
              metadata: z.record(z.string(), z.unknown()).optional(),
              redirectUrl: z.url().optional(),
            }),
          },
        },
      },
    },
    responses: {
      201: {
        description: 'created',
        content: { 'application/json': { schema: z.object({ data: linkShape }) } },
      },
    },
  }),
  async (c) => {
    const input = c.req.valid('json')
    const now = new Date().toISOString()
    const row = {
      id: randomUUID(),
      organization_id: c.var.organizationId,
      mode: c.var.mode,
      name: input.name,
      external_id: input.externalId ?? null,
      metadata: input.metadata === undefined ? null : JSON.stringify(input.metadata),
      redirect_url: input.redirectUrl ?? null,
      allow_coexistence: 0,
      status: 'pending' as const,
      expires_at: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      created_at: now,
      updated_at: now,
    }
    await db.insertInto('onboarding_links').values(row).execute()
    return c.json({ data: row }, 201)
  },
)

app.get('/signup/:id', async (c) => {
  const row = await db
    .selectFrom('onboarding_links')
    .selectAll()
    .where('id', '=', c.req.param('id'))
    .executeTakeFirst()
  if (!row) return c.text('not found', 404)
  // Since issue 18 the page shows its organisation's branding for the link's mode: one more
  // indexed read. The bench's organisation has none (as most have), so only the words that
  // need no derived value are mapped.
  const brand = await db
    .selectFrom('organization_branding')
    .select(['display_name', 'support_email', 'support_url'])
    .where('organization_id', '=', row.organization_id)
    .where('mode', '=', row.mode)
    .executeTakeFirst()
  const nonce = createHmac('sha256', nonceKey).update(`${row.id}.${Date.now()}`).digest('base64url')
  c.header('Content-Security-Policy', `default-src 'none'; script-src 'self' 'nonce-${nonce}'`)
  // The same words the service renders in (English here: no locale on the bench's link), in
  // the page and in its script's config.
  const t = catalogues.en
  const configJson = JSON.stringify({
    linkId: row.id,
    mode: row.mode,
    nonce,
    text: { ...t.script, errors: t.errors },
  }).replace(/</g, '\\u003c')
  return c.html(
    views.render('./signup/pending', {
      lang: 'en',
      t,
      fillIn,
      splitAt,
      name: row.name,
      mode: row.mode,
      brand: brand
        ? {
            displayName: brand.display_name,
            supportEmail: brand.support_email,
            supportUrl: brand.support_url,
            logoPath: null,
            style: null,
          }
        : null,
      configJson,
    }),
  )
})

serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' })

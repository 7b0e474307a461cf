import { type Context, Hono } from 'hono'
import type { SandboxState } from '../state'
import { postWebhook, signWebhook } from './deliver'
import { buildMetaWebhook, type EmitSubject } from './payloads'
import { emitRequestSchema } from './schemas'

/** Whether the caller may emit a webhook about `about`: a Response refuses, as it is. */
type EmitPermission = (about: EmitSubject) => Promise<Response | undefined>

/**
 * Who may emit, decided by the server the sandbox is mounted in (the sandbox has no
 * accounts): a Response refuses the caller before anything is read, as it is; otherwise the
 * permission then checks what the webhook is about. Standalone, anyone may emit anything.
 */
export type EmitAuthorizer = (request: Request) => Promise<Response | EmitPermission>

const allowEveryone: EmitAuthorizer = async () => async () => undefined

const EXCERPT_CHARS = 1024

/**
 * `POST /webhooks/emit`: builds one of Meta's webhooks, signs it with the sandbox app secret
 * (`X-Hub-Signature-256`) and POSTs it to `target`. The target must be a `/webhooks/meta`
 * callback: the sandbox is mounted on a public server, and this keeps the call from being
 * a way to make that server POST anywhere else. Mounted, the server also decides who may
 * emit about which account (`authorize`): a signed webhook is believed by our receiver.
 */
export function createWebhookEmitRoutes(options: {
  state: SandboxState
  appId: string
  appSecret: string
  now: () => number
  isTargetAllowed: (target: URL) => boolean
  authorize?: EmitAuthorizer
}): Hono {
  const authorize = options.authorize ?? allowEveryone
  const routes = new Hono()
  routes.post('/emit', async (c) => {
    const permission = await authorize(c.req.raw)
    if (permission instanceof Response) return permission
    const json = await c.req.json().catch(() => undefined)
    const parsed = emitRequestSchema.safeParse(json)
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({
        field: i.path.join('.'),
        message: i.message,
      }))
      return invalid(c, 'The emit request is invalid.', details)
    }
    const request = parsed.data
    const target = new URL(request.target)
    if (!target.pathname.endsWith('/webhooks/meta')) {
      return invalid(c, 'target must be a Meta webhook callback URL ending in /webhooks/meta.')
    }
    if (!options.isTargetAllowed(target)) {
      return invalid(c, "target must be this service's own /webhooks/meta URL.")
    }
    const built = await buildMetaWebhook(options.state, options.appId, request, options.now())
    if (!built.ok) return invalid(c, built.message)
    const refusal = await permission(built.about)
    if (refusal) return refusal

    const signed = signWebhook(built.payload, options.appSecret)
    const sent = {
      target: target.toString(),
      signature: signed.signature,
      payload: built.payload,
      body: signed.body,
    }
    try {
      const response = await postWebhook(target, signed)
      const text = (await response.text()).slice(0, EXCERPT_CHARS)
      return c.json({ ...sent, response: { status: response.status, body: text } }, 200)
    } catch (error) {
      const reason =
        error instanceof Error
          ? ((error.cause as Error | undefined)?.message ?? error.message)
          : String(error)
      return c.json(
        {
          error: { code: 'target_unreachable', message: `POST ${target} failed: ${reason}` },
          ...sent,
        },
        502,
      )
    }
  })
  return routes
}

function invalid(c: Context, message: string, details?: unknown) {
  return c.json(
    { error: { code: 'invalid_request', message, ...(details ? { details } : {}) } },
    400,
  )
}

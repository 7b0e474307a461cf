import { setTimeout as sleep } from 'node:timers/promises'
import type { HttpBindings } from '@hono/node-server'
import type { Context } from 'hono'
import {
  SANDBOX_ANSWER_LOST_RECIPIENT,
  SANDBOX_FAILING_RECIPIENTS,
  SANDBOX_UNDELIVERABLE_RECIPIENT,
} from '../constants'
import type { SandboxPhone } from '../state'
import { postWebhook, signWebhook } from '../webhooks/deliver'
import { newWamid, type StatusName, statusWebhook } from '../webhooks/payloads'
import type { GraphContext } from './context'
import { GraphFailure, graphErrors } from './errors'
import { requestedFields } from './params'

/** The message templates every sandbox WABA has, in Graph's shape. */
const SANDBOX_TEMPLATES = [
  {
    id: '1029384756102938',
    name: 'hello_world',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
      {
        type: 'BODY',
        text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.',
      },
      { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
    ],
  },
  {
    id: '1029384756102939',
    name: 'order_confirmation',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [
      {
        type: 'BODY',
        text: 'Hi {{1}}, your order {{2}} is confirmed and will arrive on {{3}}.',
        example: { body_text: [['Ana', '#1042', 'Friday']] },
      },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Track my order' }] },
    ],
  },
  {
    id: '1029384756102940',
    name: 'seasonal_promotion',
    language: 'es',
    category: 'MARKETING',
    status: 'APPROVED',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Ofertas de temporada' },
      {
        type: 'BODY',
        text: '¡Hola {{1}}! Esta semana tienes {{2}} de descuento.',
        example: { body_text: [['Ana', '20%']] },
      },
    ],
  },
  {
    id: '1029384756102941',
    name: 'account_alert',
    language: 'en_US',
    category: 'UTILITY',
    status: 'REJECTED',
    components: [{ type: 'BODY', text: 'Your account needs attention.' }],
  },
] as const

const TEMPLATE_DEFAULT_FIELDS = ['id', 'name', 'language', 'category', 'status', 'components']

/** GET /{waba}/message_templates: the same templates for every WABA, one page. */
export function listMessageTemplates(params: Record<string, string>) {
  const fields = requestedFields(params, TEMPLATE_DEFAULT_FIELDS)
  const data = SANDBOX_TEMPLATES.map((template) =>
    Object.fromEntries(
      Object.entries(template).filter(([key]) => key === 'id' || fields.includes(key)),
    ),
  )
  return { data, paging: { cursors: { before: 'c2FuZGJveDow', after: 'c2FuZGJveDoz' } } }
}

const MESSAGE_TYPES = new Set([
  'text',
  'template',
  'image',
  'document',
  'audio',
  'video',
  'sticker',
  'interactive',
  'reaction',
  'location',
  'contacts',
])

/** A parameter Graph received as JSON text (JSON bodies arrive here stringified). */
function objectParam(params: Record<string, string>, name: string): Record<string, unknown> {
  const raw = params[name]
  if (raw === undefined) throw new GraphFailure(graphErrors.requiredParam(name))
  try {
    const value: unknown = JSON.parse(raw)
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>
    }
  } catch {
    // falls through to the same error as a non-object
  }
  throw new GraphFailure(graphErrors.invalidParam(`${name} must be an object.`))
}

function checkTemplate(template: Record<string, unknown>): void {
  const name = typeof template.name === 'string' ? template.name : ''
  const language = template.language as { code?: unknown } | undefined
  const code = typeof language?.code === 'string' ? language.code : ''
  if (!name) throw new GraphFailure(graphErrors.requiredParam('template[name]'))
  if (!code) throw new GraphFailure(graphErrors.requiredParam('template[language][code]'))
  const known = SANDBOX_TEMPLATES.find(
    (t) => t.name === name && t.language === code && t.status === 'APPROVED',
  )
  if (!known) throw new GraphFailure(graphErrors.unknownTemplate(name, code))
}

/**
 * POST /{phone}/messages: Graph's checks and answer; the magic recipients fail as Meta
 * does. An accepted message's status webhooks follow (sent, delivered, read; sent, failed
 * for the undeliverable recipient) to the app's callback URL, as Meta sends them unasked.
 * Each accepted send is counted on the phone (`messagesAccepted`), so a test can tell how
 * many times a message reached "Meta".
 */
export async function sendMessage(
  phone: SandboxPhone,
  params: Record<string, string>,
  requestUrl: string,
  ctx: GraphContext,
) {
  if (!params.messaging_product) {
    throw new GraphFailure(graphErrors.requiredParam('messaging_product'))
  }
  if (params.messaging_product !== 'whatsapp') {
    throw new GraphFailure(graphErrors.invalidParam('messaging_product must be "whatsapp".'))
  }
  const to = params.to
  if (!to) throw new GraphFailure(graphErrors.requiredParam('to'))
  const recipient = to.replace(/\D/g, '')
  if (!/^\d{6,15}$/.test(recipient)) {
    throw new GraphFailure(graphErrors.invalidParam('to must be a phone number.'))
  }
  const type = params.type ?? 'text'
  if (!MESSAGE_TYPES.has(type)) {
    throw new GraphFailure(graphErrors.invalidParam(`Unsupported message type ${type}.`))
  }
  const content = objectParam(params, type)
  if (type === 'text' && typeof content.body !== 'string') {
    throw new GraphFailure(graphErrors.requiredParam('text[body]'))
  }
  if (type === 'template') checkTemplate(content)
  if (phone.pin === null && !phone.isOnBizApp) {
    throw new GraphFailure(graphErrors.notRegistered())
  }
  const failure = (SANDBOX_FAILING_RECIPIENTS as Record<string, number>)[recipient]
  if (failure !== undefined) throw new GraphFailure(graphErrors.sendFailure(failure))

  const wamid = newWamid()
  await ctx.state.updatePhone(
    phone.id,
    (p) => ({ ...p, messagesAccepted: (p.messagesAccepted ?? 0) + 1 }),
    ctx.now(),
  )
  const target = ctx.callbackUrl?.(new URL(requestUrl))
  if (target) {
    const statuses: StatusName[] =
      recipient === SANDBOX_UNDELIVERABLE_RECIPIENT
        ? ['sent', 'failed']
        : ['sent', 'delivered', 'read']
    void emitStatuses(ctx, phone, { wamid, recipient, statuses }, target)
  }
  return {
    messaging_product: 'whatsapp',
    contacts: [{ input: to, wa_id: recipient }],
    messages: [{ id: wamid, ...(type === 'template' ? { message_status: 'accepted' } : {}) }],
  }
}

/** Whether this send's answer is to be lost on the way back (the magic recipient). */
export function isAnswerLost(params: Record<string, string>): boolean {
  return (params.to ?? '').replace(/\D/g, '') === SANDBOX_ANSWER_LOST_RECIPIENT
}

const ANSWER_START = '{"messaging_product":"whatsapp",'

/**
 * An answer that never arrives whole: the connection is destroyed once the request was read,
 * so the caller never learns what Meta did. On Node's server the socket is closed directly
 * (quietly: what is written after goes nowhere); elsewhere the body stream fails after its
 * first bytes, to the same end.
 */
export function lostAnswer(c: Context): Response {
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing
  if (outgoing) {
    outgoing.destroy()
    return new Response(null, { status: 200 })
  }
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(ANSWER_START))
    },
    pull(controller) {
      controller.error(new Error('sandbox: the answer to this send is lost on purpose'))
    },
  })
  return new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } })
}

/**
 * The statuses of one accepted message, each signed with the app secret and POSTed in
 * order after a pause. A target that cannot be reached loses them, as a down callback
 * would (Meta retries; the sandbox does not).
 */
async function emitStatuses(
  ctx: GraphContext,
  phone: SandboxPhone,
  message: { wamid: string; recipient: string; statuses: StatusName[] },
  target: URL,
): Promise<void> {
  for (const status of message.statuses) {
    // Unreferenced: a pending status never keeps a process from exiting.
    await sleep(ctx.statusDelayMs, undefined, { ref: false })
    const payload = statusWebhook(
      phone,
      { messageId: message.wamid, status, recipient: message.recipient },
      ctx.now(),
    )
    try {
      const response = await postWebhook(target, signWebhook(payload, ctx.appSecret))
      await response.body?.cancel()
    } catch {
      return
    }
  }
}

import type { SandboxPhone, SandboxWaba } from '../state'
import type { GraphContext } from './context'
import { type GraphErrorSpec, GraphFailure, graphErrors } from './errors'
import { PHONE_DEFAULT_FIELDS, renderPhone } from './nodes'
import { requestedFields } from './params'

const DEFAULT_PAGE_SIZE = 25
const MAX_PAGE_SIZE = 100
const REGISTER_BUDGET = 10
const REGISTER_WINDOW_MS = 72 * 60 * 60 * 1000

const cursor = (index: number) => Buffer.from(`sandbox:${index}`).toString('base64url')

function cursorIndex(value: string): number {
  const match = Buffer.from(value, 'base64url')
    .toString()
    .match(/^sandbox:(\d+)$/)
  if (!match?.[1])
    throw new GraphFailure(graphErrors.invalidParam('The after cursor is not valid.'))
  return Number(match[1])
}

/** GET /{waba}/phone_numbers with Graph's cursor paging; `next` is absolute, like Meta's. */
export async function listPhoneNumbers(
  waba: SandboxWaba,
  params: Record<string, string>,
  requestUrl: string,
  ctx: GraphContext,
) {
  const fields = requestedFields(params, PHONE_DEFAULT_FIELDS)
  const limit = Math.min(Math.max(Number(params.limit) || DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE)
  const start = params.after ? cursorIndex(params.after) + 1 : 0
  const phones = await ctx.state.phones(waba.phoneIds)
  const page = phones.slice(start, start + limit)
  if (page.length === 0) return { data: [] }
  const last = start + page.length - 1
  const next = new URL(requestUrl)
  next.searchParams.set('limit', String(limit))
  next.searchParams.set('after', cursor(last))
  return {
    data: await Promise.all(page.map((p) => renderPhone(p, fields, ctx, waba))),
    paging: {
      cursors: { before: cursor(start), after: cursor(last) },
      ...(last + 1 < phones.length ? { next: next.toString() } : {}),
    },
  }
}

export async function subscribeApp(
  waba: SandboxWaba,
  params: Record<string, string>,
  ctx: GraphContext,
) {
  const override = params.override_callback_uri
  if (override && !params.verify_token)
    throw new GraphFailure(graphErrors.requiredParam('verify_token'))
  await ctx.state.updateWaba(
    waba.id,
    (current) => ({
      ...current,
      subscribedApps: {
        ...current.subscribedApps,
        [ctx.appId]: { overrideCallbackUri: override || null },
      },
    }),
    ctx.now(),
  )
  return { success: true }
}

export function subscribedApps(waba: SandboxWaba, ctx: GraphContext) {
  return {
    data: Object.entries(waba.subscribedApps).map(([appId, sub]) => ({
      whatsapp_business_api_data: {
        link: `https://www.facebook.com/games/?app_id=${appId}`,
        name: ctx.appName,
        id: appId,
      },
      ...(sub.overrideCallbackUri ? { override_callback_uri: sub.overrideCallbackUri } : {}),
    })),
  }
}

export async function unsubscribeApp(waba: SandboxWaba, ctx: GraphContext) {
  await ctx.state.updateWaba(
    waba.id,
    (current) => {
      const { [ctx.appId]: _removed, ...others } = current.subscribedApps
      return { ...current, subscribedApps: others }
    },
    ctx.now(),
  )
  return { success: true }
}

/** POST /{phone}/register: PIN rules, Meta's 10-per-72-hours budget, and the magic failure. */
export async function registerPhone(
  phone: SandboxPhone,
  params: Record<string, string>,
  ctx: GraphContext,
) {
  if (!params.messaging_product)
    throw new GraphFailure(graphErrors.requiredParam('messaging_product'))
  if (params.messaging_product !== 'whatsapp') {
    throw new GraphFailure(graphErrors.invalidParam('messaging_product must be "whatsapp".'))
  }
  const pin = params.pin
  if (!pin) throw new GraphFailure(graphErrors.requiredParam('pin'))
  if (!/^\d{6}$/.test(pin)) {
    throw new GraphFailure(graphErrors.invalidParam('pin must be a 6-digit number.'))
  }
  const now = ctx.now()
  // A refused call still spends the budget, so the refusal is decided inside the update
  // (one transaction: two replicas registering at once both count) and thrown after it.
  let refusal = null as GraphErrorSpec | null
  await ctx.state.updatePhone(
    phone.id,
    (current) => {
      const registerCalls = current.registerCalls.filter((t) => now - t < REGISTER_WINDOW_MS)
      if (registerCalls.length >= REGISTER_BUDGET)
        throw new GraphFailure(graphErrors.registerBudget())
      registerCalls.push(now)
      if (current.isOnBizApp) {
        refusal = graphErrors.invalidParam(
          'This number is on the WhatsApp Business app (coexistence) and is already registered.',
        )
        return { ...current, registerCalls }
      }
      if (current.registerFails || (current.pin !== null && current.pin !== pin)) {
        refusal = graphErrors.pinMismatch()
        return { ...current, registerCalls }
      }
      return { ...current, registerCalls, pin, platformType: 'CLOUD_API', status: 'CONNECTED' }
    },
    now,
  )
  if (refusal) throw new GraphFailure(refusal)
  return { success: true }
}

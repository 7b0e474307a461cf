import type { SandboxPhone, SandboxWaba } from '../state'
import type { GraphContext } from './context'
import { GraphFailure, graphErrors } from './errors'
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
export function listPhoneNumbers(
  waba: SandboxWaba,
  params: Record<string, string>,
  requestUrl: string,
  ctx: GraphContext,
) {
  const fields = requestedFields(params, PHONE_DEFAULT_FIELDS)
  const limit = Math.min(Math.max(Number(params.limit) || DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE)
  const start = params.after ? cursorIndex(params.after) + 1 : 0
  const phones = waba.phoneIds
    .map((id) => ctx.state.phones.get(id))
    .filter((p): p is SandboxPhone => p !== undefined)
  const page = phones.slice(start, start + limit)
  if (page.length === 0) return { data: [] }
  const last = start + page.length - 1
  const next = new URL(requestUrl)
  next.searchParams.set('limit', String(limit))
  next.searchParams.set('after', cursor(last))
  return {
    data: page.map((p) => renderPhone(p, fields, ctx)),
    paging: {
      cursors: { before: cursor(start), after: cursor(last) },
      ...(last + 1 < phones.length ? { next: next.toString() } : {}),
    },
  }
}

export function subscribeApp(waba: SandboxWaba, params: Record<string, string>, ctx: GraphContext) {
  const override = params.override_callback_uri
  if (override && !params.verify_token)
    throw new GraphFailure(graphErrors.requiredParam('verify_token'))
  waba.subscribedApps.set(ctx.appId, { overrideCallbackUri: override || null })
  return { success: true }
}

export function subscribedApps(waba: SandboxWaba, ctx: GraphContext) {
  return {
    data: [...waba.subscribedApps.entries()].map(([appId, sub]) => ({
      whatsapp_business_api_data: {
        link: `https://www.facebook.com/games/?app_id=${appId}`,
        name: ctx.appName,
        id: appId,
      },
      ...(sub.overrideCallbackUri ? { override_callback_uri: sub.overrideCallbackUri } : {}),
    })),
  }
}

export function unsubscribeApp(waba: SandboxWaba, ctx: GraphContext) {
  waba.subscribedApps.delete(ctx.appId)
  return { success: true }
}

/** POST /{phone}/register: PIN rules, Meta's 10-per-72-hours budget, and the magic failure. */
export function registerPhone(
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
  phone.registerCalls = phone.registerCalls.filter((t) => now - t < REGISTER_WINDOW_MS)
  if (phone.registerCalls.length >= REGISTER_BUDGET) {
    throw new GraphFailure(graphErrors.registerBudget())
  }
  phone.registerCalls.push(now)
  if (phone.isOnBizApp) {
    throw new GraphFailure(
      graphErrors.invalidParam(
        'This number is on the WhatsApp Business app (coexistence) and is already registered.',
      ),
    )
  }
  if (phone.registerFails || (phone.pin !== null && phone.pin !== pin)) {
    throw new GraphFailure(graphErrors.pinMismatch())
  }
  phone.pin = pin
  phone.platformType = 'CLOUD_API'
  phone.status = 'CONNECTED'
  return { success: true }
}

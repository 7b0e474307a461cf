import { type Context, Hono } from 'hono'
import { findNode, findPhone, findWaba } from './access'
import { authenticate } from './auth'
import type { GraphContext } from './context'
import {
  listPhoneNumbers,
  registerPhone,
  subscribeApp,
  subscribedApps,
  unsubscribeApp,
} from './edges'
import { GraphFailure, graphErrors, renderGraphError } from './errors'
import { isAnswerLost, listMessageTemplates, lostAnswer, sendMessage } from './messages'
import {
  PHONE_DEFAULT_FIELDS,
  renderBusiness,
  renderPhone,
  renderWaba,
  WABA_DEFAULT_FIELDS,
} from './nodes'
import { debugToken, exchangeCode } from './oauth'
import { readParams, requestedFields } from './params'

type Handler = (c: Context, params: Record<string, string>) => unknown

/** Every Graph answer is JSON (or a Response made on purpose); failures become Meta's error envelope. */
function graph(handler: Handler) {
  return async (c: Context) => {
    try {
      const answer = await handler(c, await readParams(c))
      return answer instanceof Response ? answer : c.json(answer)
    } catch (error) {
      if (error instanceof GraphFailure) return renderGraphError(c, error.spec)
      throw error
    }
  }
}

/** The Graph API subset onboarding needs, relative to `/graph` (with or without `/vNN.N`). */
export function createGraphRouter(ctx: GraphContext): Hono {
  const router = new Hono()
  router.on(
    ['GET', 'POST'],
    '/oauth/access_token',
    graph((_c, p) => exchangeCode(p, ctx)),
  )
  router.get(
    '/debug_token',
    graph((c, p) => debugToken(c, p, ctx)),
  )
  router.get(
    '/:id/phone_numbers',
    graph(async (c, p) => {
      const waba = await findWaba(c.req.param('id') ?? '', await authenticate(c, p, ctx), ctx)
      return listPhoneNumbers(waba, p, c.req.url, ctx)
    }),
  )
  router.on(
    ['GET', 'POST', 'DELETE'],
    '/:id/subscribed_apps',
    graph(async (c, p) => {
      const waba = await findWaba(c.req.param('id') ?? '', await authenticate(c, p, ctx), ctx)
      if (c.req.method === 'POST') return subscribeApp(waba, p, ctx)
      if (c.req.method === 'DELETE') return unsubscribeApp(waba, ctx)
      return subscribedApps(waba, ctx)
    }),
  )
  router.post(
    '/:id/register',
    graph(async (c, p) => {
      const caller = await authenticate(c, p, ctx)
      return registerPhone(await findPhone(c.req.param('id') ?? '', caller, ctx), p, ctx)
    }),
  )
  router.post(
    '/:id/messages',
    graph(async (c, p) => {
      const caller = await authenticate(c, p, ctx)
      const phone = await findPhone(c.req.param('id') ?? '', caller, ctx)
      const answer = await sendMessage(phone, p, c.req.url, ctx)
      return isAnswerLost(p) ? lostAnswer(c) : answer
    }),
  )
  router.get(
    '/:id/message_templates',
    graph(async (c, p) => {
      await findWaba(c.req.param('id') ?? '', await authenticate(c, p, ctx), ctx)
      return listMessageTemplates(p)
    }),
  )
  router.get(
    '/:id',
    graph(async (c, p) => {
      const node = await findNode(c.req.param('id') ?? '', await authenticate(c, p, ctx), ctx)
      if (node.kind === 'waba')
        return renderWaba(node.waba, requestedFields(p, WABA_DEFAULT_FIELDS), ctx)
      if (node.kind === 'phone') {
        return renderPhone(node.phone, requestedFields(p, PHONE_DEFAULT_FIELDS), ctx)
      }
      return renderBusiness(node.business, requestedFields(p, ['id', 'name']))
    }),
  )
  router.all(
    '*',
    graph((c) => {
      throw new GraphFailure(graphErrors.unknownPath(new URL(c.req.url).pathname))
    }),
  )
  return router
}

import { SANDBOX_CODE_TTL_MS, SANDBOX_EXPIRED_CODE } from '../constants'
import { accessToken, graphId } from '../ids'
import type { SandboxToken } from '../state'
import { authenticate } from './auth'
import type { GraphContext } from './context'
import { GraphFailure, graphErrors } from './errors'

/** GET|POST /oauth/access_token: a single-use, 30-second code for a never-expiring business token. */
export async function exchangeCode(params: Record<string, string>, ctx: GraphContext) {
  const { state } = ctx
  if (!params.client_id) throw new GraphFailure(graphErrors.badClientId(true))
  if (params.client_id !== ctx.appId) throw new GraphFailure(graphErrors.badClientId(false))
  if (params.client_secret !== ctx.appSecret) throw new GraphFailure(graphErrors.badClientSecret())
  const code = params.code
  if (!code) throw new GraphFailure(graphErrors.requiredParam('code'))
  if (code === SANDBOX_EXPIRED_CODE) throw new GraphFailure(graphErrors.codeExpired())
  const found = await state.signupByCode(code)
  const signup = found?.signup
  if (!found || !signup?.wabaId || !signup.businessId) {
    throw new GraphFailure(graphErrors.codeUnknown())
  }
  if (found.codeUsed) throw new GraphFailure(graphErrors.codeUsed())
  if (ctx.now() - signup.codeIssuedAt > SANDBOX_CODE_TTL_MS) {
    throw new GraphFailure(graphErrors.codeExpired())
  }
  const record: SandboxToken = {
    token: accessToken(),
    signupId: signup.id,
    wabaId: signup.wabaId,
    businessId: signup.businessId,
    userId: graphId(),
    issuedAt: ctx.now(),
    rateLimit: signup.options.rateLimit,
  }
  // Single use across replicas: of two exchanges of one code, only one spends it.
  if (!(await state.exchangeCode(record))) throw new GraphFailure(graphErrors.codeUsed())
  // Business Integration System User tokens never expire, so Meta sends no expires_in.
  return { access_token: record.token, token_type: 'bearer' }
}

/** GET /debug_token: an invalid input token is a 200 with is_valid false, as on Graph. */
export async function debugToken(
  c: Parameters<typeof authenticate>[0],
  params: Record<string, string>,
  ctx: GraphContext,
) {
  await authenticate(c, params, ctx)
  const input = params.input_token
  if (!input) throw new GraphFailure(graphErrors.requiredParam('input_token'))
  if (input === `${ctx.appId}|${ctx.appSecret}`) {
    return {
      data: {
        app_id: ctx.appId,
        type: 'APP',
        application: ctx.appName,
        is_valid: true,
        scopes: [],
      },
    }
  }
  const record = await ctx.state.token(input)
  if (!record) {
    return {
      data: {
        error: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
        is_valid: false,
        scopes: [],
      },
    }
  }
  return {
    data: {
      app_id: ctx.appId,
      type: 'SYSTEM_USER',
      application: ctx.appName,
      data_access_expires_at: 0,
      expires_at: 0,
      is_valid: true,
      issued_at: Math.floor(record.issuedAt / 1000),
      scopes: [
        'whatsapp_business_management',
        'whatsapp_business_messaging',
        'business_management',
      ],
      granular_scopes: [
        { scope: 'whatsapp_business_management', target_ids: [record.wabaId] },
        { scope: 'whatsapp_business_messaging', target_ids: [record.wabaId] },
        { scope: 'business_management', target_ids: [record.businessId] },
      ],
      user_id: record.userId,
    },
  }
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import type { SandboxToken } from '../state'
import type { GraphContext } from './context'
import { GraphFailure, graphErrors } from './errors'

export type Caller =
  | { kind: 'app' }
  | { kind: 'system_user' }
  | { kind: 'business'; token: SandboxToken }

function bearer(c: Context): string | undefined {
  const header = c.req.header('authorization')
  const match = header?.match(/^(?:Bearer|OAuth)\s+(.+)$/i)
  return match?.[1]?.trim()
}

function proofMatches(token: string, proof: string, appSecret: string): boolean {
  const expected = Buffer.from(createHmac('sha256', appSecret).update(token).digest('hex'))
  const given = Buffer.from(proof.toLowerCase())
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** Constant-time: the system-user token is a secret, and a timing leak would give it away. */
function isSystemUserToken(token: string, expected: string | undefined): boolean {
  if (!expected) return false
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(token), digest(expected))
}

/** Resolves who is calling; a present-but-wrong appsecret_proof is rejected like Graph does. */
export async function authenticate(
  c: Context,
  params: Record<string, string>,
  ctx: GraphContext,
): Promise<Caller> {
  const token = bearer(c) ?? params.access_token
  if (!token) throw new GraphFailure(graphErrors.missingToken())
  const proof = params.appsecret_proof
  if (proof !== undefined && !proofMatches(token, proof, ctx.appSecret)) {
    throw new GraphFailure(graphErrors.badProof())
  }
  if (token === `${ctx.appId}|${ctx.appSecret}`) return { kind: 'app' }
  if (isSystemUserToken(token, ctx.systemUserToken)) return { kind: 'system_user' }
  const record = await ctx.state.token(token)
  if (!record) throw new GraphFailure(graphErrors.badToken())
  if (record.rateLimit === 'waba') throw new GraphFailure(graphErrors.wabaRateLimit())
  if (record.rateLimit === 'app') throw new GraphFailure(graphErrors.appRateLimit())
  return { kind: 'business', token: record }
}

import type { SandboxNode, SandboxPhone, SandboxWaba } from '../state'
import type { Caller } from './auth'
import type { GraphContext } from './context'
import { GraphFailure, graphErrors } from './errors'

export type GraphNode = SandboxNode

function owningWabaId(node: GraphNode): string | null {
  if (node.kind === 'waba') return node.waba.id
  if (node.kind === 'phone') return node.phone.wabaId
  return null
}

/**
 * Finds a node the caller may use. A business token reaches only the WABA it was granted
 * (and that WABA's phones and portfolio); the platform's system user reaches every asset the
 * sandbox issued; anything else that exists is a (#200) error.
 */
export async function findNode(id: string, caller: Caller, ctx: GraphContext): Promise<GraphNode> {
  const node = await ctx.state.node(id)
  if (!node) throw new GraphFailure(graphErrors.unknownObject(id))
  if (caller.kind === 'system_user') return node
  if (caller.kind !== 'business') throw new GraphFailure(graphErrors.permission())
  const allowed =
    node.kind === 'business'
      ? node.business.id === caller.token.businessId
      : owningWabaId(node) === caller.token.wabaId
  if (!allowed) throw new GraphFailure(graphErrors.permission())
  return node
}

export async function findWaba(
  id: string,
  caller: Caller,
  ctx: GraphContext,
): Promise<SandboxWaba> {
  const node = await findNode(id, caller, ctx)
  if (node.kind !== 'waba') throw new GraphFailure(graphErrors.unknownObject(id))
  return node.waba
}

export async function findPhone(
  id: string,
  caller: Caller,
  ctx: GraphContext,
): Promise<SandboxPhone> {
  const node = await findNode(id, caller, ctx)
  if (node.kind !== 'phone') throw new GraphFailure(graphErrors.unknownObject(id))
  return node.phone
}

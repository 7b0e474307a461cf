import { createGraph } from './graph'
import { accountOperations } from './operations/accounts'
import { messagingOperations } from './operations/messaging'
import { tokenOperations } from './operations/tokens'
import type { MetaClient, MetaClientOptions } from './types'

/** The Graph API client: one transport shared by the token, account and messaging calls. */
export function createMetaClient(options: MetaClientOptions): MetaClient {
  const graph = createGraph(options)
  return {
    ...tokenOperations(graph),
    ...accountOperations(graph),
    ...messagingOperations(graph),
  }
}

import { type Graph, nodeId } from '../graph'
import { pagedMessageTemplates, sendMessageResponse } from '../schemas'
import { parseBody } from '../transport'
import type { MetaClient, MetaMessageTemplate, SentMessage } from '../types'

const TEMPLATE_FIELDS = 'id,name,language,category,status,components'

/** Sending a message and reading the WABA's message templates. */
export function messagingOperations(
  graph: Graph,
): Pick<MetaClient, 'sendMessage' | 'listMessageTemplates'> {
  return {
    async sendMessage(phoneNumberId, body, token): Promise<SentMessage> {
      const operation = 'sendMessage'
      const response = await graph.call({
        operation,
        method: 'POST',
        path: `${nodeId(phoneNumberId, 'phoneNumberId')}/messages`,
        jsonBody: { messaging_product: 'whatsapp', ...body },
        token,
        retry: false,
      })
      const parsed = parseBody(sendMessageResponse, response, operation)
      const [message] = parsed.messages
      const [contact] = parsed.contacts ?? []
      return {
        wamid: message?.id ?? '',
        waId: contact?.wa_id ?? null,
        messageStatus: message?.message_status ?? null,
      }
    },

    async listMessageTemplates(wabaId, token): Promise<MetaMessageTemplate[]> {
      const templates = await graph.collectPages(
        {
          operation: 'listMessageTemplates',
          path: `${nodeId(wabaId, 'wabaId')}/message_templates`,
          query: { fields: TEMPLATE_FIELDS, limit: '100' },
          token,
        },
        pagedMessageTemplates,
      )
      return templates.map((t) => ({
        id: t.id ?? null,
        name: t.name,
        language: t.language,
        category: t.category,
        status: t.status,
        components: t.components ?? [],
      }))
    },
  }
}
